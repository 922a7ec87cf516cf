package io.sluice.engine.media;

import io.netty.buffer.ByteBuf;

/**
 * MSB-first bit reader over a copied byte range, for SPS / sequence header parsing. Reading past
 * the end throws {@link Overrun}, which the parsers catch to return "unknown".
 */
final class BitReader {

    /** Thrown past the end or on invalid codes; stackless since garbage input is expected. */
    static final class Overrun extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Overrun INSTANCE = new Overrun();

        private Overrun() {
            super("bitstream overrun", null, false, false);
        }
    }

    private final byte[] data;
    private final int limitBits;
    private int bitPos;

    BitReader(byte[] data) {
        this.data = data;
        this.limitBits = data.length * 8;
    }

    /**
     * The RBSP of a NAL unit: its bytes without emulation_prevention_three_byte
     * (H.264 7.4.1 / H.265 7.4.2: 0x000003 -> 0x0000).
     */
    static BitReader rbsp(ByteBuf buf, int offset, int length) {
        byte[] out = new byte[length];
        int n = 0;
        int zeros = 0;
        for (int i = 0; i < length; i++) {
            byte b = buf.getByte(offset + i);
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[n++] = b;
        }
        return new BitReader(n == length ? out : java.util.Arrays.copyOf(out, n));
    }

    static BitReader of(ByteBuf buf, int offset, int length) {
        byte[] out = new byte[length];
        buf.getBytes(offset, out);
        return new BitReader(out);
    }

    int bit() {
        if (bitPos >= limitBits) {
            throw Overrun.INSTANCE;
        }
        int b = data[bitPos >> 3] >> (7 - (bitPos & 7)) & 1;
        bitPos++;
        return b;
    }

    boolean flag() {
        return bit() == 1;
    }

    /** n <= 32 bits as an unsigned value. */
    long bits(int n) {
        if (n < 0 || n > 32 || bitPos + n > limitBits) {
            throw Overrun.INSTANCE;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 1 | bit();
        }
        return v;
    }

    int bitsInt(int n) {
        return (int) bits(n);
    }

    void skip(long n) {
        if (n < 0 || bitPos + n > limitBits) {
            throw Overrun.INSTANCE;
        }
        bitPos += (int) n;
    }

    /** ue(v), Exp-Golomb (H.264 9.1); values beyond 32 bits are rejected. */
    int ue() {
        int zeros = 0;
        while (bit() == 0) {
            if (++zeros > 31) {
                throw Overrun.INSTANCE;
            }
        }
        long v = (1L << zeros) - 1 + bits(zeros);
        if (v > Integer.MAX_VALUE) {
            throw Overrun.INSTANCE;
        }
        return (int) v;
    }

    /** se(v) (H.264 9.1.1). */
    int se() {
        int k = ue();
        return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
    }

    /** uvlc() (AV1 4.10.3): like ue but with 32 or more leading zeros meaning 2^32-1. */
    long uvlc() {
        int zeros = 0;
        while (bit() == 0) {
            zeros++;
            if (zeros >= 32) {
                return 0xFFFFFFFFL;
            }
        }
        return bits(zeros) + (1L << zeros) - 1;
    }
}
