package io.sluice.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.engine.protocol.amf.Amf0;
import io.sluice.engine.protocol.amf.AmfEntries;
import io.sluice.engine.protocol.amf.AmfException;
import io.sluice.engine.protocol.amf.AmfLimits;
import io.sluice.engine.protocol.amf.AmfStrictArray;
import io.sluice.engine.protocol.amf.AmfTypedObject;
import io.sluice.engine.protocol.amf.AmfValue;
import io.sluice.testing.TrackingAllocator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** What the AMF0 and AMF3 fuzz targets require of a decode. */
final class AmfChecks {

    /** Small limits, so that the fuzzer reaches them. */
    static final AmfLimits LIMITS = new AmfLimits(8, 64, 1024);

    private AmfChecks() {
    }

    /** Decodes {@code data} as {@link #decodeAndCheck} says, from a buffer that must end up released. */
    static void decodeAndCheck(byte[] data, Function<ByteBuf, List<AmfValue>> decoder) {
        TrackingAllocator alloc = new TrackingAllocator(64 * 1024);
        ByteBuf in = alloc.copyOf(data, 0, data.length);
        try {
            decodeAndCheck(alloc, in, decoder);
        } finally {
            in.release();
        }
        alloc.assertAllReleased();
    }

    /**
     * Decodes {@code in} with {@code decoder}: an {@link AmfException} must leave the reader index
     * where it was; a value must not expand (references followed) past what the limits allow, and it
     * must survive re-encoding as AMF0 and decoding again unchanged.
     */
    private static void decodeAndCheck(TrackingAllocator alloc, ByteBuf in, Function<ByteBuf, List<AmfValue>> decoder) {
        int start = in.readerIndex();
        List<AmfValue> values;
        try {
            values = decoder.apply(in);
        } catch (RuntimeException e) {
            FuzzAssertions.assertOnly(AmfException.class, e);
            assertThat(in.readerIndex()).as("reader index after a failed decode").isEqualTo(start);
            return;
        }
        // Each value on the wire takes at least its marker byte; references may add up to maxEntries more.
        long budget = in.readerIndex() - start + (long) LIMITS.maxEntries();
        for (AmfValue v : values) {
            budget -= expandedValues(v, budget);
            assertThat(budget).as("budget left after counting the values with references followed")
                    .isGreaterThanOrEqualTo(0);
        }
        ByteBuf encoded = alloc.buffer(256);
        try {
            Amf0.encodeAll(encoded, values);
            assertThat(Amf0.decodeAll(encoded, AmfLimits.DEFAULT)).as("decoded again after re-encoding").isEqualTo(values);
        } finally {
            encoded.release();
        }
    }

    /** The values in {@code v}, references followed; stops counting past {@code budget}. */
    static long expandedValues(AmfValue v, long budget) {
        long count = 1;
        if (v instanceof AmfEntries e) {
            for (Map.Entry<String, AmfValue> entry : e.entries()) {
                count += expandedValues(entry.getValue(), budget - count);
                if (count > budget) {
                    return count;
                }
            }
        } else if (v instanceof AmfStrictArray a) {
            for (AmfValue element : a.values()) {
                count += expandedValues(element, budget - count);
                if (count > budget) {
                    return count;
                }
            }
        } else if (v instanceof AmfTypedObject t) {
            count += expandedValues(t.properties(), budget - count);
        }
        return count;
    }
}
