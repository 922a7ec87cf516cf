package io.sluice.engine.protocol.chunk;

import io.netty.buffer.ByteBuf;

/** Writes chunk headers (RTMP 1.0 section 5.3.1); shared by the per-connection encoder and {@link SharedChunks}. */
final class ChunkHeaders {
    static final int EXTENDED_TIMESTAMP_MARKER = 0xFFFFFF;
    /** Basic header (up to 3 bytes), message header (up to 11), extended timestamp (4). */
    static final int MAX_HEADER = 3 + 11 + 4;

    private ChunkHeaders() {
    }

    /** How a message of {@code length} bytes splits into chunks, for sizing its buffer. */
    record Layout(int csid, boolean extendedTimestamp, int chunks, int chunkSize) {
        int encodedSize(int length) {
            int basic = basicHeaderSize(csid);
            int extended = extendedTimestamp ? 4 : 0;
            return basic + 11 + extended + (chunks - 1) * (basic + extended) + length;
        }
    }

    static Layout layout(int csid, int timestampField, int length, int chunkSize) {
        int chunks = Math.max(1, (length + chunkSize - 1) / chunkSize);
        return new Layout(csid, isExtended(timestampField), chunks, chunkSize);
    }

    /** 5.3.1.3: a timestamp (or delta) of 0xFFFFFF or more goes in the extended field. */
    static boolean isExtended(int timestampField) {
        return Integer.compareUnsigned(timestampField, EXTENDED_TIMESTAMP_MARKER) >= 0;
    }

    /** 5.3.1.2.1: the full header, which depends on no earlier chunk. */
    static void writeType0(ByteBuf buf, int csid, int timestamp, int length, int typeId, int streamId) {
        writeHeader(buf, 0, csid, timestamp, length, typeId, streamId);
    }

    /**
     * A type 0, 1 or 2 header: {@code timestampField} is the absolute timestamp for type 0, the delta
     * otherwise; type 1 and 0 carry length and type id, only type 0 the message stream id.
     */
    static void writeHeader(ByteBuf buf, int fmt, int csid, int timestampField, int length, int typeId,
                            int streamId) {
        boolean extended = isExtended(timestampField);
        writeBasicHeader(buf, fmt, csid);
        buf.writeMedium(extended ? EXTENDED_TIMESTAMP_MARKER : timestampField);
        if (fmt <= 1) {
            buf.writeMedium(length);
            buf.writeByte(typeId);
        }
        if (fmt == 0) {
            buf.writeIntLE(streamId);
        }
        if (extended) {
            buf.writeInt(timestampField);
        }
    }

    /**
     * A continuation (type 3). 5.3.1.3: it repeats the extended timestamp, which Flash, librtmp and
     * ffmpeg expect.
     */
    static void writeType3(ByteBuf buf, int csid, boolean extended, int timestampField) {
        writeBasicHeader(buf, 3, csid);
        if (extended) {
            buf.writeInt(timestampField);
        }
    }

    /** 5.3.1.1: csid 2-63 in one byte, 64-319 in two, 64-65599 in three. */
    static void writeBasicHeader(ByteBuf buf, int fmt, int csid) {
        if (csid < 64) {
            buf.writeByte((fmt << 6) | csid);
        } else if (csid < 320) {
            buf.writeByte(fmt << 6).writeByte(csid - 64);
        } else {
            buf.writeByte((fmt << 6) | 1).writeByte((csid - 64) & 0xFF).writeByte((csid - 64) >> 8);
        }
    }

    static int basicHeaderSize(int csid) {
        return csid < 64 ? 1 : csid < 320 ? 2 : 3;
    }
}
