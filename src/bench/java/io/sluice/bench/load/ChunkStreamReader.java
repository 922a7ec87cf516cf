package io.sluice.bench.load;

import java.nio.ByteBuffer;

/**
 * A streaming RTMP chunk parser (RTMP 1.0 section 5.3.1) that never assembles media messages: it keeps
 * each chunk stream's header state (fmt 0-3, extended timestamps, the peer's Set Chunk Size, 5.4.1),
 * keeps only the first {@link StreamShape#MARKED_PREFIX} bytes of audio/video messages and skips the
 * rest, and collects other messages (commands, control: small) whole, up to {@link #MAX_CONTROL}.
 * One per connection, driven by one thread.
 */
final class ChunkStreamReader {

    /** What a reader reports. Called on the reading thread; {@code body} is only valid during the call. */
    interface Listener {
        /** The first chunk of a message began (a player's first frame is its first video chunk). */
        default void messageStarted(int type) {
        }

        /**
         * A message ended: {@code body} holds its first {@code kept} bytes (media) or all of it
         * (other types).
         */
        void messageEnded(int type, int streamId, int length, byte[] body, int kept);
    }

    static final int MAX_CONTROL = 64 * 1024;
    /** As the engine's default sluice.rtmp.max-message-size. */
    static final int MAX_MESSAGE = 8 * 1024 * 1024;
    private static final int MAX_CHUNK_STREAMS = 1024;

    private final Listener listener;
    private ChunkState[] streams = new ChunkState[16];
    private final byte[] header = new byte[18];
    private int headerHave;
    private int headerNeed = 1;
    private ChunkState current;
    private int chunkLeft;
    private int chunkSize = 128;
    private long bytes;

    ChunkStreamReader(Listener listener) {
        this.listener = listener;
    }

    /** Bytes consumed so far (for acknowledgements, 5.4.3). */
    long bytes() {
        return bytes;
    }

    /** Consumes everything in {@code in}. Throws {@link IllegalStateException} on bytes it cannot follow. */
    void feed(ByteBuffer in) {
        bytes += in.remaining();
        while (in.hasRemaining()) {
            if (current == null) {
                readHeader(in);
            } else {
                readPayload(in);
            }
        }
    }

    private void readHeader(ByteBuffer in) {
        while (headerHave < headerNeed && in.hasRemaining()) {
            header[headerHave++] = in.get();
            if (headerHave == headerNeed) {
                headerNeed = headerLength();
            }
        }
        if (headerHave == headerNeed) {
            startChunk();
        }
    }

    /** How long the header is, given the bytes so far (it grows as the basic header and timestamp tell). */
    private int headerLength() {
        int fmt = (header[0] & 0xff) >>> 6;
        int basic = basicHeaderLength();
        int length = basic + switch (fmt) {
            case 0 -> 11;
            case 1 -> 7;
            case 2 -> 3;
            default -> 0;
        };
        if (headerHave < basic) {
            return basic;
        }
        if (fmt == 3) {
            ChunkState s = stream(csid(basic));
            return s.extended ? length + 4 : length;
        }
        if (headerHave < length) {
            return length;
        }
        return int24(basic) == 0xffffff ? length + 4 : length;
    }

    private int basicHeaderLength() {
        return switch (header[0] & 0x3f) {
            case 0 -> 2;
            case 1 -> 3;
            default -> 1;
        };
    }

    private int csid(int basic) {
        return switch (basic) {
            case 2 -> 64 + (header[1] & 0xff);
            case 3 -> 64 + (header[1] & 0xff) + (header[2] & 0xff) * 256;
            default -> header[0] & 0x3f;
        };
    }

    private ChunkState stream(int csid) {
        if (csid >= MAX_CHUNK_STREAMS) {
            throw new IllegalStateException("chunk stream id " + csid + " over " + MAX_CHUNK_STREAMS);
        }
        if (csid >= streams.length) {
            ChunkState[] grown = new ChunkState[Math.max(csid + 1, streams.length * 2)];
            System.arraycopy(streams, 0, grown, 0, streams.length);
            streams = grown;
        }
        ChunkState s = streams[csid];
        if (s == null) {
            s = streams[csid] = new ChunkState();
        }
        return s;
    }

    private int int24(int at) {
        return (header[at] & 0xff) << 16 | (header[at + 1] & 0xff) << 8 | header[at + 2] & 0xff;
    }

    private void startChunk() {
        int fmt = (header[0] & 0xff) >>> 6;
        int basic = basicHeaderLength();
        ChunkState s = stream(csid(basic));
        boolean newMessage = s.left == 0;
        if (fmt < 3) {
            int field = int24(basic);
            s.extended = field == 0xffffff;
            if (fmt <= 1) {
                s.length = int24(basic + 3);
                s.type = header[basic + 6] & 0xff;
            }
            if (fmt == 0) {
                s.streamId = (header[basic + 7] & 0xff) | (header[basic + 8] & 0xff) << 8
                        | (header[basic + 9] & 0xff) << 16 | (header[basic + 10] & 0xff) << 24;
            }
            if (!newMessage) {
                throw new IllegalStateException("fmt " + fmt + " header inside a message on chunk stream");
            }
        } else if (!s.started) {
            throw new IllegalStateException("fmt 3 chunk on a chunk stream without a header");
        }
        // timestamps are not needed: the clock travels in the payload
        s.started = true;
        headerHave = 0;
        headerNeed = 1;
        if (newMessage) {
            if (s.length > MAX_MESSAGE) {
                throw new IllegalStateException("message of " + s.length + " bytes");
            }
            s.left = s.length;
            s.kept = 0;
            boolean media = s.type == StreamShape.VIDEO || s.type == StreamShape.AUDIO;
            int keep = media ? StreamShape.MARKED_PREFIX : Math.min(s.length, MAX_CONTROL);
            if (s.body.length < keep) {
                s.body = new byte[keep];
            }
            s.keep = keep;
            listener.messageStarted(s.type);
            if (s.length == 0) {
                endMessage(s);
                return;
            }
        }
        current = s;
        chunkLeft = Math.min(chunkSize, s.left);
    }

    private void readPayload(ByteBuffer in) {
        ChunkState s = current;
        int n = Math.min(chunkLeft, in.remaining());
        int copy = Math.min(n, s.keep - s.kept);
        if (copy > 0) {
            in.get(s.body, s.kept, copy);
            s.kept += copy;
        }
        in.position(in.position() + n - copy);
        chunkLeft -= n;
        s.left -= n;
        if (s.left == 0) {
            current = null;
            endMessage(s);
        } else if (chunkLeft == 0) {
            current = null;
        }
    }

    private void endMessage(ChunkState s) {
        if (s.type == 1 && s.kept >= 4) { // Set Chunk Size, 5.4.1
            chunkSize = ((s.body[0] & 0x7f) << 24) | (s.body[1] & 0xff) << 16 | (s.body[2] & 0xff) << 8
                    | s.body[3] & 0xff;
            if (chunkSize < 1) {
                throw new IllegalStateException("chunk size " + chunkSize);
            }
        }
        listener.messageEnded(s.type, s.streamId, s.length, s.body, s.kept);
    }

    private static final class ChunkState {
        boolean started;
        boolean extended;
        int length;
        int type;
        int streamId;
        int left;
        int keep;
        int kept;
        byte[] body = new byte[StreamShape.MARKED_PREFIX];
    }
}
