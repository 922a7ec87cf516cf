package io.sluice.engine.media;

/** FourCC helpers (E-RTMP: a FOURCC is the big-endian UI32 of its four ASCII characters). */
public final class FourCc {

    private FourCc() {
    }

    /** {@code "hvc1"} -> 0x68766331. */
    public static int of(String fourCc) {
        if (fourCc.length() != 4) {
            throw new IllegalArgumentException("a FourCC has 4 characters: " + fourCc);
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            char c = fourCc.charAt(i);
            if (c > 0x7F) {
                throw new IllegalArgumentException("a FourCC is ASCII: " + fourCc);
            }
            value = value << 8 | c;
        }
        return value;
    }

    /** 0x68766331 -> {@code "hvc1"}; non-printable bytes are shown as {@code \xNN}. */
    public static String toString(int fourCc) {
        StringBuilder sb = new StringBuilder(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = fourCc >>> shift & 0xFF;
            if (c >= 0x20 && c < 0x7F) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }
}
