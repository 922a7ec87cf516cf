package io.sluice.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;

/**
 * The body of a {@code JSON}-format callback ({@code Content-Type: application/json}). The same event
 * id is sent in the {@code X-Sluice-Event-Id} header and stays the same across the retries of one
 * notification; with a secret, {@code X-Sluice-Signature: sha256=<hex>} is the HMAC-SHA256 of the exact
 * body bytes.
 */
@Schema(name = "WebhookPayload", description = "Body of a JSON-format callback (POST, application/json). "
        + "Headers: X-Sluice-Event-Id (same as eventId), X-Sluice-Event (the hook), and with a secret "
        + "X-Sluice-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes>.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookPayload(
        @Schema(description = "Unique id of this event (UUID); also in X-Sluice-Event-Id, unchanged across retries",
                example = "3f1c2b9e-8c5d-4e0a-9a53-0b2d6c1f7e42", requiredMode = Schema.RequiredMode.REQUIRED)
        String eventId,
        @Schema(description = "What happened", requiredMode = Schema.RequiredMode.REQUIRED,
                allowableValues = {"connect", "publish", "play", "publish_done", "play_done", "disconnect",
                        "record_done"})
        String action,
        @Schema(description = "The RTMP session (connection) id", example = "42",
                requiredMode = Schema.RequiredMode.REQUIRED)
        long sessionId,
        @Schema(description = "The client's IP address", example = "203.0.113.7")
        String clientAddress,
        @Schema(description = "The RTMP application", example = "live")
        String app,
        @Schema(description = "The stream: its public name if known (e.g. a stream key's public name), else as the "
                + "client sent it, without the query; empty for connect", example = "mystream")
        String stream,
        @Schema(description = "The client's raw query string (of the stream name, or of the app/tcUrl for connect)",
                example = "token=abc")
        String query,
        @Schema(description = "The query string decoded; the first value of a repeated parameter wins")
        Map<String, String> queryParams,
        @Schema(description = "The tcUrl the client connected with", example = "rtmp://example.com/live")
        String tcUrl,
        @Schema(description = "The client's flashVer", example = "FMLE/3.0 (compatible; obs-studio)")
        String flashVer,
        @Schema(description = "The label of the stream key used, if any", nullable = true)
        String keyLabel,
        @Schema(description = "When the event happened (ISO-8601)", example = "2025-01-31T12:00:00Z",
                requiredMode = Schema.RequiredMode.REQUIRED)
        Instant timestamp,
        @Schema(description = "record_done only: the recorded file", nullable = true)
        String path,
        @Schema(description = "record_done only: the recording's duration in seconds", nullable = true)
        Double durationSeconds,
        @Schema(description = "record_done only: the file's size in bytes", nullable = true)
        Long sizeBytes) {
}
