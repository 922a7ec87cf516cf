package io.sluice.engine.protocol;

import io.sluice.engine.spi.Refusal;

/** A peer went over a configured limit: a protocol error that is also reported as a {@link Refusal}. */
public class LimitExceededException extends RtmpProtocolException {
    private final Refusal refusal;

    public LimitExceededException(Refusal refusal, String message) {
        super(message);
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
