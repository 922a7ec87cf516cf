package io.sluice.webhook;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The optional JSON reply of a {@code JSON}-format gate ({@code on_connect}, {@code on_publish},
 * {@code on_play}) with a 2xx status. An empty body (or a non-JSON content type) allows as is. At most
 * 64 KiB are read; a body that is not such an object applies the hook's failure policy.
 */
@Schema(name = "WebhookReply", description = "Optional JSON reply to a JSON-format gate callback with a 2xx status. "
        + "Every field is optional; unknown fields are ignored. A reply larger than 64 KiB or not a JSON object "
        + "of these types applies the hook's failure policy.")
public record WebhookReply(
        @Schema(description = "false refuses the request", nullable = true)
        Boolean allow,
        @Schema(description = "Why it was refused; shown to the client", nullable = true, example = "bad token")
        String reason,
        @Schema(description = "publish/play: the name the stream goes by instead (letters, digits and - _ . ~ @ + =)",
                nullable = true, example = "alice")
        String streamName,
        @Schema(description = "publish: whether to record the stream", nullable = true)
        Boolean record) {
}
