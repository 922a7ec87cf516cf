package io.sluice.engine.relay;

import java.time.Instant;

/**
 * A relay's live state, for the API and the dashboard.
 *
 * @param state         where it is
 * @param url           the remote URL with its stream name masked (it is often a secret key)
 * @param since         when it entered {@code state}
 * @param lastError     why the last connection failed or ended, or null
 * @param nextAttemptAt when {@code RETRYING}: the next connection attempt
 * @param bytes         media bytes sent (push) or received (pull) over all connections
 * @param reconnects    connection attempts after the first
 * @param lagMillis     push only: how far the target is behind the source, in stream time
 * @param droppedPackets push only: packets skipped because the target was too slow
 */
public record RelayStatus(State state, String url, Instant since, String lastError, Instant nextAttemptAt,
                          long bytes, int reconnects, long lagMillis, long droppedPackets) {

    public enum State { CONNECTING, LIVE, RETRYING, STOPPED }
}
