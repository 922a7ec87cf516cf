package io.sluice.webhook;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Min;
import java.util.Arrays;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The configured hooks (without secrets) and the recent deliveries. */
@RestController
@RequestMapping("/api/webhooks")
@PreAuthorize("hasAuthority('SCOPE_admin')")
@Tag(name = "Webhooks", description = "Auth callbacks (on_connect, on_publish, on_play) and notifications")
class WebhookController {
    private final WebhookProperties properties;
    private final DeliveryLog deliveries;

    WebhookController(WebhookProperties properties, DeliveryLog deliveries) {
        this.properties = properties;
        this.deliveries = deliveries;
    }

    @GetMapping
    @Operation(summary = "The configured hooks", description = "Secrets are never shown; a URL's query is hidden.")
    List<HookView> hooks() {
        return Arrays.stream(Hook.values())
                .filter(h -> properties.hooks().containsKey(h))
                .map(h -> HookView.of(h, properties.hooks().get(h)))
                .toList();
    }

    @GetMapping("/deliveries")
    @Operation(summary = "The most recent hook calls, newest first",
            description = "One entry per attempt; the log keeps the last sluice.webhooks.delivery-log-size calls.")
    List<Delivery> deliveries(@Parameter(description = "How many, at most")
                              @RequestParam(defaultValue = "50") @Min(1) int limit) {
        return deliveries.recent(limit);
    }

    /** A configured hook as the API shows it. */
    @Schema(name = "Webhook", description = "A configured hook (its secret is never shown)")
    record HookView(
            @Schema(description = "on_connect, on_publish, on_play, on_publish_done, on_play_done, on_disconnect "
                    + "or on_record_done") String hook,
            @Schema(description = "true for on_connect/on_publish/on_play: awaited before the client's answer")
            boolean gate,
            @Schema(description = "The URL called (its query hidden)") String url,
            @Schema(description = "JSON or NGINX") WebhookProperties.Format format,
            @Schema(description = "Timeout of one call, in milliseconds") long timeoutMs,
            @Schema(description = "Gates: what a failed call decides (DENY or ALLOW); null for notifications",
                    nullable = true) WebhookProperties.FailurePolicy failurePolicy,
            @Schema(description = "Whether bodies are signed (X-Sluice-Signature)") boolean signed,
            @Schema(description = "Notifications: retries after a failed attempt; null for gates", nullable = true)
            Integer retries,
            @Schema(description = "Notifications: delay before the first retry (doubling), in milliseconds; null "
                    + "for gates", nullable = true) Long backoffMs) {

        static HookView of(Hook hook, WebhookProperties.HookSettings s) {
            return new HookView(hook.hookName(), hook.gate(), Urls.redact(s.url()), s.format(), s.timeout().toMillis(),
                    hook.gate() ? s.failurePolicy() : null, s.signed(), hook.gate() ? null : s.retries(),
                    hook.gate() ? null : s.backoff().toMillis());
        }
    }
}
