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

    private ChunkStreamIds() {
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
