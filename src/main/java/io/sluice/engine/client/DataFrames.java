package io.sluice.engine.client;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Data messages as FLV script tags and live streams carry them (AMF0 values, {@code "onMetaData", {...}})
 * versus as encoders publish them ({@code "@setDataFrame", "onMetaData", {...}}).
 */
public final class DataFrames {
    private static final byte[] ON_METADATA = amf0String("onMetaData");
    private static final byte[] SET_DATA_FRAME = amf0String("@setDataFrame");

    /** Bytes {@link #writeSetDataFrame} writes. */
    public static final int SET_DATA_FRAME_SIZE = SET_DATA_FRAME.length;

    private DataFrames() {
    }

    /** Whether the AMF0 payload starts with the string {@code onMetaData}. */
    public static boolean isMetadata(ByteBuf payload) {
        if (payload.readableBytes() < ON_METADATA.length) {
            return false;
        }
        int start = payload.readerIndex();
        for (int i = 0; i < ON_METADATA.length; i++) {
            if (payload.getByte(start + i) != ON_METADATA[i]) {
                return false;
            }
        }
        return true;
    }

    /** Writes the AMF0 string {@code @setDataFrame}. */
    public static void writeSetDataFrame(ByteBuf out) {
        out.writeBytes(SET_DATA_FRAME);
    }

    private static byte[] amf0String(String s) {
        byte[] text = s.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[3 + text.length];
        out[0] = 2; // AMF0 string marker
        out[1] = (byte) (text.length >> 8);
        out[2] = (byte) text.length;
        System.arraycopy(text, 0, out, 3, text.length);
        return out;
    }
}
