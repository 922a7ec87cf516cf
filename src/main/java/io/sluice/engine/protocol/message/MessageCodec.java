package io.sluice.engine.protocol.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.engine.protocol.RtmpProtocolException;
import io.sluice.engine.protocol.amf.Amf0;
import io.sluice.engine.protocol.amf.AmfLimits;
import io.sluice.engine.protocol.amf.AmfString;
import io.sluice.engine.protocol.amf.AmfValue;
import io.sluice.engine.protocol.amf.AmfNumber;
import io.sluice.engine.protocol.amf.AmfNull;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a reassembled message payload into an {@link RtmpMessage} and back. The one dispatch from type
 * id to message value; the chunk codec calls it on both sides.
 */
public final class MessageCodec {

    /** FLV tag header inside an aggregate message: type 1, size 3, timestamp 3+1, stream id 3. */
    private static final int AGGREGATE_TAG_HEADER = 11;
    private static final int AGGREGATE_BACK_POINTER = 4;

    private MessageCodec() {
    }

    /**
     * Decodes one message. Media messages take a retained slice of {@code payload}; the caller keeps
     * its own reference and releases it. Aggregates (type 22) yield their sub-messages.
     */
    public static void decode(int typeId, int streamId, int timestamp, ByteBuf payload, AmfLimits limits,
                              Consumer<RtmpMessage> out) {
        switch (typeId) {
            case MessageType.SET_CHUNK_SIZE -> out.accept(new SetChunkSize(readInt(payload, typeId) & 0x7FFFFFFF));
            case MessageType.ABORT -> out.accept(new Abort(readInt(payload, typeId)));
            case MessageType.ACKNOWLEDGEMENT -> out.accept(new Acknowledgement(readInt(payload, typeId) & 0xFFFFFFFFL));
            case MessageType.WINDOW_ACK_SIZE -> out.accept(new WindowAckSize(readInt(payload, typeId)));
            case MessageType.SET_PEER_BANDWIDTH -> {
                int size = readInt(payload, typeId);
                int limit = payload.isReadable() ? payload.readUnsignedByte() : SetPeerBandwidth.LIMIT_DYNAMIC;
                out.accept(new SetPeerBandwidth(size, limit));
            }
            case MessageType.USER_CONTROL -> out.accept(decodeUserControl(payload));
            case MessageType.AUDIO, MessageType.VIDEO ->
                    out.accept(new MediaMessage(typeId, streamId, timestamp, payload.retainedSlice()));
            case MessageType.COMMAND_AMF0 -> out.accept(decodeCommand(streamId, Amf0.decodeAll(payload, limits)));
            case MessageType.COMMAND_AMF3 -> out.accept(decodeCommand(streamId, Amf0.decodeAmf3Command(payload, limits)));
            case MessageType.DATA_AMF0 -> out.accept(new DataMessage(streamId, timestamp, Amf0.decodeAll(payload, limits)));
            case MessageType.DATA_AMF3 ->
                    out.accept(new DataMessage(streamId, timestamp, Amf0.decodeAmf3Command(payload, limits)));
            case MessageType.AGGREGATE -> decodeAggregate(streamId, timestamp, payload, limits, out);
            default -> out.accept(new UnknownMessage(typeId, streamId, timestamp, payload.readableBytes()));
        }
    }

    /** Encodes a non-media message's payload into a new buffer. */
    public static ByteBuf encodePayload(RtmpMessage message, ByteBufAllocator alloc) {
        if (message instanceof MediaMessage m) {
            return m.content().retainedDuplicate();
        } else if (message instanceof CommandMessage m) {
            ByteBuf buf = alloc.buffer(128);
            List<AmfValue> values = new ArrayList<>(3 + m.arguments().size());
            values.add(AmfValue.of(m.name()));
            values.add(AmfValue.of(m.transactionId()));
            values.add(m.commandObject());
            values.addAll(m.arguments());
            Amf0.encodeAll(buf, values);
            return buf;
        } else if (message instanceof DataMessage m) {
            ByteBuf buf = alloc.buffer(256);
            Amf0.encodeAll(buf, m.values());
            return buf;
        } else if (message instanceof UserControl m) {
            return encodeUserControl(m, alloc);
        } else if (message instanceof SetChunkSize m) {
            return alloc.buffer(4).writeInt(m.size());
        } else if (message instanceof Abort m) {
            return alloc.buffer(4).writeInt(m.chunkStreamId());
        } else if (message instanceof Acknowledgement m) {
            return alloc.buffer(4).writeInt((int) m.sequenceNumber());
        } else if (message instanceof WindowAckSize m) {
            return alloc.buffer(4).writeInt(m.size());
        } else if (message instanceof SetPeerBandwidth m) {
            return alloc.buffer(5).writeInt(m.size()).writeByte(m.limitType());
        }
        throw new IllegalArgumentException("cannot encode " + message);
    }

    private static int readInt(ByteBuf payload, int typeId) {
        if (payload.readableBytes() < 4) {
            throw new RtmpProtocolException("message type " + typeId + " needs 4 bytes, got " + payload.readableBytes());
        }
        return payload.readInt();
    }

    private static UserControl decodeUserControl(ByteBuf payload) {
        if (payload.readableBytes() < 2) {
            throw new RtmpProtocolException("user control message of " + payload.readableBytes() + " bytes");
        }
        UserControl.Event event = UserControl.Event.of(payload.readUnsignedShort());
        int value = payload.readableBytes() >= 4 ? payload.readInt() : 0;
        int extra = payload.readableBytes() >= 4 ? payload.readInt() : 0;
        return new UserControl(event, value, extra);
    }

    private static ByteBuf encodeUserControl(UserControl m, ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer(10);
        buf.writeShort(m.event().code()).writeInt(m.value());
        if (m.event() == UserControl.Event.SET_BUFFER_LENGTH) {
            buf.writeInt(m.extra());
        }
        return buf;
    }

    private static CommandMessage decodeCommand(int streamId, List<AmfValue> values) {
        if (values.size() < 2 || !(values.get(0) instanceof AmfString name)) {
            throw new RtmpProtocolException("command message without a name and transaction id");
        }
        double transactionId = values.get(1) instanceof AmfNumber n ? n.value() : 0;
        AmfValue commandObject = values.size() > 2 ? values.get(2) : AmfNull.INSTANCE;
        List<AmfValue> arguments = values.size() > 3 ? values.subList(3, values.size()) : List.of();
        return new CommandMessage(streamId, name.value(), transactionId, commandObject, arguments);
    }

    /**
     * Aggregate message (RTMP 1.0 section 7.1.6): FLV-tag-formatted sub-messages; each keeps its offset
     * from the first sub-message's timestamp, applied to the aggregate's own timestamp. An aggregate
     * inside an aggregate is refused: the section has none, and each level would be a level of
     * recursion here (a 64 KiB message nesting 11-byte headers overflowed the stack).
     */
    private static void decodeAggregate(int streamId, int timestamp, ByteBuf payload, AmfLimits limits,
                                        Consumer<RtmpMessage> out) {
        Integer firstTimestamp = null;
        while (payload.readableBytes() >= AGGREGATE_TAG_HEADER) {
            int type = payload.readUnsignedByte();
            int size = payload.readUnsignedMedium();
            int ts = payload.readUnsignedMedium() | (payload.readUnsignedByte() << 24);
            payload.skipBytes(3); // stream id: always the aggregate's
            if (payload.readableBytes() < size) {
                throw new RtmpProtocolException("aggregate sub-message of " + size + " bytes with "
                        + payload.readableBytes() + " left");
            }
            if (type == MessageType.AGGREGATE) {
                throw new RtmpProtocolException("aggregate message inside an aggregate message");
            }
            if (firstTimestamp == null) {
                firstTimestamp = ts;
            }
            int subTimestamp = timestamp + (ts - firstTimestamp);
            if (type == MessageType.AUDIO || type == MessageType.VIDEO) {
                out.accept(new MediaMessage(type, streamId, subTimestamp, payload.readRetainedSlice(size)));
            } else {
                ByteBuf body = payload.readSlice(size);
                decode(type, streamId, subTimestamp, body, limits, out);
            }
            if (payload.readableBytes() >= AGGREGATE_BACK_POINTER) {
                payload.skipBytes(AGGREGATE_BACK_POINTER);
            }
        }
    }
}
