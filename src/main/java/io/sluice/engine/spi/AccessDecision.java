package io.sluice.engine.spi;

/**
 * The answer to an {@link AccessRequest}.
 *
 * @param streamName  for an allowed PUBLISH or PLAY, the name the stream goes by instead of the one
 *                    asked for (a stream key published under its public name); null keeps the name
 * @param record      for an allowed PUBLISH: ask the recording sink to record it
 * @param label       an application label for the stream (e.g. the stream key's label), or null
 */
public record AccessDecision(boolean allowed, Reason reason, String description, String streamName, boolean record,
                             String label) {

    /**
     * Why a request was refused; decides the status code the client gets. THROTTLED: too many failed
     * attempts from the client's address, refused without looking further.
     */
    public enum Reason { NONE, BAD_NAME, UNAUTHORIZED, BANNED, BUSY, ERROR, THROTTLED }

    public static AccessDecision allow() {
        return new AccessDecision(true, Reason.NONE, "", null, false, null);
    }

    public static AccessDecision allowAs(String streamName, boolean record, String label) {
        return new AccessDecision(true, Reason.NONE, "", streamName, record, label);
    }

    public static AccessDecision deny(Reason reason, String description) {
        return new AccessDecision(false, reason, description, null, false, null);
    }
}
