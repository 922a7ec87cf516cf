package io.sluice.fuzz;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.sluice.engine.protocol.RtmpProtocolException;

/** What the fuzz targets require of whatever escapes the code under test. */
final class FuzzAssertions {

    private FuzzAssertions() {
    }

    /**
     * Passes for a parser's own complaint: {@code expected} (e.g. {@link RtmpProtocolException}), also
     * as Netty's {@link DecoderException} wrapper around it. Anything else, and an {@code expected} that
     * merely wraps a runtime exception the parser did not foresee (an IndexOutOfBoundsException caught
     * by a safety net), is a finding.
     */
    static void assertOnly(Class<? extends Throwable> expected, Throwable thrown) {
        Throwable t = thrown instanceof DecoderException && thrown.getCause() != null ? thrown.getCause() : thrown;
        if (!expected.isInstance(t)) {
            throw new AssertionError("unexpected " + t.getClass().getName() + " (only " + expected.getSimpleName()
                    + " may escape): " + t.getMessage(), thrown);
        }
        Throwable cause = t.getCause();
        if (cause != null && !expected.isInstance(cause)) {
            throw new AssertionError(expected.getSimpleName() + " wraps an unforeseen " + cause.getClass().getName()
                    + ": " + t.getMessage(), thrown);
        }
        if (t.getMessage() == null || t.getMessage().isBlank()) {
            throw new AssertionError(expected.getSimpleName() + " without a message", thrown);
        }
    }

    /** Writes {@code msg} inbound; a protocol error is expected now and then, anything else is a finding. */
    static boolean writeInbound(EmbeddedChannel channel, Object msg) {
        try {
            channel.writeInbound(msg);
            return true;
        } catch (Throwable t) {
            assertOnly(RtmpProtocolException.class, t);
            return false;
        }
    }
}
