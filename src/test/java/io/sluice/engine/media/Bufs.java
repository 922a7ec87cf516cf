package io.sluice.engine.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Test buffers: hex / ASCII pieces, placed after junk so a non-zero reader index is exercised. */
final class Bufs {

    private Bufs() {
    }

    /** Concatenates pieces: a String starting with "'" is ASCII (without the quote), others hex. */
    static byte[] bytes(String... pieces) {
        ByteBuf b = Unpooled.buffer();
        try {
            for (String piece : pieces) {
                if (piece.startsWith("'")) {
                    b.writeBytes(piece.substring(1).getBytes(StandardCharsets.US_ASCII));
                } else {
                    b.writeBytes(HexFormat.of().parseHex(piece.replace(" ", "")));
                }
            }
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        } finally {
            b.release();
        }
    }

    /** A buffer whose readable bytes are {@code content}, with 3 junk bytes before the reader index. */
    static ByteBuf offset(byte[] content) {
        ByteBuf b = Unpooled.buffer(content.length + 8);
        b.writeBytes(new byte[] {(byte) 0x17, 0x00, (byte) 0xFF});
        b.writeBytes(content);
        b.readerIndex(3);
        return b;
    }

    static ByteBuf offset(String... pieces) {
        return offset(bytes(pieces));
    }
}
