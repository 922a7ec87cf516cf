package io.sluice.engine.protocol.amf;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Bounds-checked reads shared by the AMF0 and AMF3 decoders. Every length or count taken from the
 * wire is checked against the limits and the readable bytes before anything is allocated.
 */
abstract class AmfReader {

    final ByteBuf in;
    final AmfLimits limits;

    /**
     * The complex values (objects, arrays, ...) in the order they began, as references count them
     * (AMF0 spec 2.9, AMF3 spec 2.2 object table); null while one is still being decoded.
     */
    private final List<AmfValue> complexValues = new ArrayList<>();
    /** Per complex value: where it began in the values, then (once filled) how many values it holds. */
    private final List<Long> complexWeights = new ArrayList<>();
    private final Tally tally;

    /** Counts of one decode call, shared by an AMF0 reader and the AMF3 readers it hands values to. */
    private static final class Tally {
        /** Values decoded so far, each reference counted as the values it stands for. */
        long values;
        /** What references added to the values beyond themselves. */
        long expansion;
    }

    AmfReader(ByteBuf in, AmfLimits limits) {
        this.in = in;
        this.limits = limits;
        this.tally = new Tally();
    }

    /** A reader with reference tables of its own that counts towards {@code outer}'s limits. */
    AmfReader(AmfReader outer) {
        this.in = outer.in;
        this.limits = outer.limits;
        this.tally = outer.tally;
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
        tally.values++;
        return in.readUnsignedByte();
    }

    /** Counts values that have no marker of their own (the elements of AMF3 int, uint and double vectors). */
    final void countValues(long count) {
        tally.values += count;
    }

    /** Makes room in the reference table for a complex value whose marker was just read. */
    final int reserve() {
        complexValues.add(null);
        complexWeights.add(tally.values - 1);
        return complexValues.size() - 1;
    }

    /** Puts a complex value in its slot, once it is complete. */
    final AmfValue fill(int slot, AmfValue value) {
        complexValues.set(slot, value);
        complexWeights.set(slot, tally.values - complexWeights.get(slot));
        return value;
    }

    /**
     * Resolves a reference to an earlier complex value. A reference costs a few bytes but stands for
     * the whole value, and values may be built of references to references: without a bound, a short
     * message describes a graph whose tree (what a consumer walks, compares or re-encodes) has billions
     * of values. So what references add is limited to {@link AmfLimits#maxEntries()} per decode call.
     *
     * @param what "index" or "object reference", for the message
     */
    final AmfValue referenced(int index, int marker, int at, String what) {
        if (index >= complexValues.size()) {
            throw fail(marker, at, what + " " + index + " out of range: " + complexValues.size()
                    + " complex values so far");
        }
        AmfValue target = complexValues.get(index);
        if (target == null) {
            throw fail(marker, at, what + " " + index
                    + " points to a value still being decoded (cyclic graphs are not supported)");
        }
        long added = complexWeights.get(index) - 1;
        tally.expansion += added;
        tally.values += added;
        if (tally.expansion > limits.maxEntries()) {
            throw fail(marker, at, "references expand to more than " + limits.maxEntries() + " values");
        }
        return target;
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
