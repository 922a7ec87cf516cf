package io.sluice.webhook;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** One attempt to call a hook, as the delivery log keeps it. */
@Schema(description = "One attempt to call a hook")
public record Delivery(
        @Schema(description = "The event's id (X-Sluice-Event-Id); retries share it") String eventId,
        @Schema(description = "The event, e.g. publish or publish_done") String event,
        @Schema(description = "The hook, e.g. on_publish") String hook,
        @Schema(description = "The URL called (its query hidden)") String url,
        @Schema(description = "The HTTP status, or null when there was no answer", nullable = true) Integer status,
        @Schema(description = "From sending to the end of the reply, in milliseconds") long latencyMs,
        @Schema(description = "What went wrong, or null", nullable = true) String error,
        @Schema(description = "1 for the first attempt, 2 for the first retry, ...") int attempt,
        @Schema(description = "When the attempt ended") Instant time,
        @Schema(description = "ok, redirect, rejected, timeout, error, invalid_reply or dropped") String outcome) {
}
