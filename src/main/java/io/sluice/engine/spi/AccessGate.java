package io.sluice.engine.spi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a client may connect, publish or play. Asked once per request, off the media path;
 * the engine answers the client only when the returned stage completes (on the connection's event
 * loop). An exceptionally completed stage denies.
 */
@FunctionalInterface
public interface AccessGate {

    CompletionStage<AccessDecision> check(AccessRequest request);

    AccessGate ALLOW_ALL = request -> CompletableFuture.completedFuture(AccessDecision.allow());
}
