package io.sluice.engine.protocol.amf;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked reads shared by the AMF0 and AMF3 decoders. Every length or count taken from the
 * wire is checked against the limits and the readable bytes before anything is allocated.
 */
abstract class AmfReader {

    final ByteBuf in;
    final AmfLimits limits;

    AmfReader(ByteBuf in, AmfLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    /** "AMF0" or "AMF3", for messages. */
    abstract String format();

    /** Human name of a type marker, for messages. */
    abstract String markerName(int marker);

    final AmfException fail(int marker, int at, String problem) {
        return new AmfException(String.format("%s %s (marker 0x%02X) at index %d: %s",
                format(), markerName(marker), marker, at, problem));
    }

    /** Reads the next type marker. */
    final int marker() {
        if (!in.isReadable()) {
            throw new AmfException(format() + " value truncated at index " + in.readerIndex()
                    + ": no type marker");
        }
        return in.readUnsignedByte();
    }

    final void need(long bytes, int marker, int at, String what) {
        if (in.readableBytes() < bytes) {
            throw fail(marker, at, "truncated " + what + ": needs " + bytes + " bytes, "
                    + in.readableBytes() + " readable at index " + in.readerIndex());
        }
    }

    /** Reads {@code length} bytes as UTF-8; malformed sequences become U+FFFD rather than failing. */
    final String utf8(long length, int marker, int at, String what) {
        checkBytes(length, marker, at, what);
        String s = in.toString(in.readerIndex(), (int) length, StandardCharsets.UTF_8);
        in.skipBytes((int) length);
        return s;
    }

    final byte[] bytes(long length, int marker, int at, String what) {
        checkBytes(length, marker, at, what);
        byte[] b = new byte[(int) length];
        in.readBytes(b);
        return b;
    }

    private void checkBytes(long length, int marker, int at, String what) {
        if (length > limits.maxStringBytes()) {
            throw fail(marker, at, what + " length " + length + " exceeds limit " + limits.maxStringBytes());
        }
        need(length, marker, at, what);
    }

    /**
     * Checks a declared element count before it sizes anything: each element takes at least
     * {@code minBytesEach} bytes on the wire.
     */
    final void checkCount(long count, int minBytesEach, int marker, int at) {
        checkEntries(count, marker, at);
        if (count * minBytesEach > in.readableBytes()) {
            throw fail(marker, at, "declared " + count + " elements but only " + in.readableBytes()
                    + " bytes readable at index " + in.readerIndex());
        }
    }

    final void checkEntries(long count, int marker, int at) {
        if (count > limits.maxEntries()) {
            throw fail(marker, at, count + " entries exceed limit " + limits.maxEntries());
        }
    }

    /** Checks that a container at {@code depth} (1 = top level) is allowed. */
    final void checkDepth(int depth, int marker, int at) {
        if (depth > limits.maxDepth()) {
            throw fail(marker, at, "nesting depth exceeds limit " + limits.maxDepth());
        }
    }
}
