package io.sluice.engine.protocol.chunk;

import io.sluice.engine.protocol.message.MessageType;

/**
 * Which chunk stream carries which message. Audio and video get streams of their own so that each
 * keeps its own header state and compresses to type 1/2 headers.
 */
final class ChunkStreamIds {
    static final int PROTOCOL_CONTROL = 2;
    static final int COMMAND = 3;
    static final int AUDIO = 4;
    static final int DATA = 5;
    static final int VIDEO = 6;
    /**
     * Streams of {@link SharedChunks} only: every message on them has a type 0 header, so the
     * per-connection encoder, which compresses against what it sent last, never shares a stream
     * with bytes it did not write.
     */
    static final int SHARED_AUDIO = 7;
    static final int SHARED_DATA = 8;
    static final int SHARED_VIDEO = 9;

    private ChunkStreamIds() {
    }

    static int sharedFor(int typeId) {
        return switch (typeId) {
            case MessageType.AUDIO -> SHARED_AUDIO;
            case MessageType.VIDEO -> SHARED_VIDEO;
            default -> SHARED_DATA;
        };
    }

    static int forType(int typeId) {
        return switch (typeId) {
            case MessageType.AUDIO -> AUDIO;
            case MessageType.VIDEO -> VIDEO;
            case MessageType.DATA_AMF0, MessageType.DATA_AMF3 -> DATA;
            case MessageType.COMMAND_AMF0, MessageType.COMMAND_AMF3 -> COMMAND;
            default -> PROTOCOL_CONTROL;
        };
    }
}
