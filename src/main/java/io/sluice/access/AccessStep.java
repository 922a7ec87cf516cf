package io.sluice.access;

import io.sluice.engine.spi.AccessDecision;
import io.sluice.engine.spi.AccessRequest;
import java.util.concurrent.CompletionStage;

/**
 * One step of the application's access decision (bans, stream keys, auth callbacks), run in
 * {@link org.springframework.core.annotation.Order} order. A step sees the decision so far (which may
 * already rename the stream or carry a key label) and returns it refined; the first denial ends the
 * chain. Steps never block the calling thread: slow work completes the stage later.
 */
public interface AccessStep {

    CompletionStage<AccessDecision> check(AccessRequest request, AccessDecision soFar);
}
