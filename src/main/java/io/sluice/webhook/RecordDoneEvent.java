package io.sluice.webhook;

/**
 * A finished recording, as the recording feature reports it to {@link WebhookNotifier#recordDone}.
 *
 * @param stream   the stream's public name
 * @param keyLabel the label of the stream key it was published with, or null
 * @param path     the recorded file
 */
public record RecordDoneEvent(long sessionId, String app, String stream, String keyLabel, String path,
                              double durationSeconds, long sizeBytes) {
}
