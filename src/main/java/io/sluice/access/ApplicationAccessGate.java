package io.sluice.access;

import io.sluice.engine.spi.AccessDecision;
import io.sluice.engine.spi.AccessGate;
import io.sluice.engine.spi.AccessRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The engine's one entry point for access decisions: runs every {@link AccessStep} in order
 * (bans, then stream keys, then the {@code on_connect}/{@code on_publish}/{@code on_play} callbacks).
 */
@Component
class ApplicationAccessGate implements AccessGate {
    private final List<AccessStep> steps;
    private final MeterRegistry metrics;

    ApplicationAccessGate(ObjectProvider<AccessStep> steps, MeterRegistry metrics) {
        this.steps = steps.orderedStream().toList();
        this.metrics = metrics;
    }

    @Override
    public CompletionStage<AccessDecision> check(AccessRequest request) {
        CompletionStage<AccessDecision> decision = CompletableFuture.completedFuture(AccessDecision.allow());
        for (AccessStep step : steps) {
            decision = decision.thenCompose(soFar -> soFar.allowed() ? step.check(request, soFar)
                    : CompletableFuture.completedFuture(soFar));
        }
        return decision.whenComplete((d, error) -> metrics.counter("sluice.access",
                "action", request.action().name().toLowerCase(java.util.Locale.ROOT),
                "outcome", d != null && d.allowed() ? "accepted" : "refused",
                "reason", d == null ? "error" : d.reason().name().toLowerCase(java.util.Locale.ROOT)).increment());
    }
}
