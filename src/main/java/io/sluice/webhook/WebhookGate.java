package io.sluice.webhook;

import io.sluice.access.AccessStep;
import io.sluice.engine.spi.AccessDecision;
import io.sluice.engine.spi.AccessRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The {@code on_connect}, {@code on_publish} and {@code on_play} callbacks as a step of the access
 * decision, after bans and stream keys: the decision so far may already carry a key's public name and
 * label. Never blocks: the answer completes on the sender's threads. Gates are never retried.
 */
@Component
@Order(WebhookGate.ORDER)
class WebhookGate implements AccessStep {
    static final int ORDER = 200;
    private static final Logger log = LoggerFactory.getLogger(WebhookGate.class);
    private static final int MAX_REASON_LENGTH = 200;

    private final WebhookProperties properties;
    private final WebhookSender sender;
    private final SessionMemory memory;

    WebhookGate(WebhookProperties properties, WebhookSender sender, SessionMemory memory) {
        this.properties = properties;
        this.sender = sender;
        this.memory = memory;
    }

    @Override
    public CompletionStage<AccessDecision> check(AccessRequest request, AccessDecision soFar) {
        Hook hook = Hook.gateFor(request.action());
        WebhookProperties.HookSettings settings = properties.hooks().get(hook);
        if (settings == null) {
            remember(request, soFar);
            return CompletableFuture.completedFuture(soFar);
        }
        HookEvent event = HookEvent.forRequest(hook, request, soFar);
        return sender.send(event, settings, 1).thenApply(attempt -> {
            AccessDecision decision = decide(hook, settings, attempt, soFar);
            if (attempt.failed()) {
                log.warn("{} callback to {} gave no usable answer for session {} ({} {}) after {} ms: {}; "
                                + "failure policy {} {} it", hook.hookName(), Urls.redact(settings.url()),
                        request.sessionId(), request.action(), request.app(), attempt.latencyMs(), attempt.error(),
                        settings.failurePolicy(), decision.allowed() ? "allows" : "refuses");
            }
            if (decision.allowed()) {
                remember(request, decision);
            } else {
                log.debug("{} refused session {} ({} {}): {}", hook.hookName(), request.sessionId(), request.action(),
                        request.app(), decision.description());
            }
            return decision;
        });
    }

    private void remember(AccessRequest request, AccessDecision decision) {
        if (properties.anyNotification()) {
            memory.remember(request, decision.streamName(), decision.label());
        }
    }

    static AccessDecision decide(Hook hook, WebhookProperties.HookSettings settings, WebhookSender.Attempt attempt,
                                 AccessDecision soFar) {
        boolean stream = hook != Hook.ON_CONNECT;
        switch (attempt.outcome()) {
            case TIMEOUT, ERROR, INVALID_REPLY -> {
                return settings.failurePolicy() == WebhookProperties.FailurePolicy.ALLOW ? soFar
                        : refused(hook, "callback failed (" + attempt.outcome().tag().replace('_', ' ') + ")");
            }
            case REDIRECT -> {
                return stream ? new AccessDecision(true, soFar.reason(), soFar.description(), attempt.rename(),
                        soFar.record(), soFar.label()) : soFar;
            }
            case OK -> {
                WebhookReply reply = attempt.reply();
                if (reply == null) {
                    return soFar;
                }
                if (Boolean.FALSE.equals(reply.allow())) {
                    String reason = clean(reply.reason());
                    return refused(hook, reason.isEmpty() ? "HTTP " + attempt.status() + " with allow=false" : reason);
                }
                if (!stream) {
                    return soFar;
                }
                return new AccessDecision(true, soFar.reason(), soFar.description(),
                        reply.streamName() != null ? reply.streamName() : soFar.streamName(),
                        reply.record() != null ? reply.record() : soFar.record(), soFar.label());
            }
            default -> {
                return refused(hook, "HTTP " + attempt.status());
            }
        }
    }

    private static AccessDecision refused(Hook hook, String why) {
        return AccessDecision.deny(AccessDecision.Reason.UNAUTHORIZED, "Refused by " + hook.hookName()
                + " callback: " + why);
    }

    /** A reason from the callback goes to the client: printable, bounded. */
    private static String clean(String reason) {
        if (reason == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        reason.codePoints().filter(c -> !Character.isISOControl(c)).limit(MAX_REASON_LENGTH)
                .forEach(out::appendCodePoint);
        return out.toString().trim();
    }
}
