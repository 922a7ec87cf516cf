package io.sluice.engine.protocol.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.sluice.engine.protocol.LimitExceededException;
import io.sluice.engine.protocol.RtmpProtocolException;
import io.sluice.engine.protocol.amf.AmfLimits;
import io.sluice.engine.protocol.message.Abort;
import io.sluice.engine.protocol.message.Acknowledgement;
import io.sluice.engine.protocol.message.MessageCodec;
import io.sluice.engine.protocol.message.RtmpMessage;
import io.sluice.engine.protocol.message.SetChunkSize;
import io.sluice.engine.protocol.message.WindowAckSize;
import io.sluice.engine.spi.Refusal;
import java.util.List;

/**
 * Reassembles RTMP chunks (RTMP 1.0 section 5.3) into messages. Protocol control that concerns the
 * chunk layer (Set Chunk Size, Abort, Window Acknowledgement Size) is applied here and never reaches
 * the session; this decoder also acknowledges the peer's bytes when its window is reached (5.4.3).
 *
 * <p>A chunk is consumed only once its header and payload are all buffered, so a short read leaves
 * the per-chunk-stream state untouched. After a protocol error the decoder discards all input.
 */
public final class ChunkDecoder extends ByteToMessageDecoder {

    /** Bytes of C0, C1 and C2, which the peer counts towards its first acknowledgement window. */
    private static final int HANDSHAKE_BYTES = 1 + 1536 + 1536;
    private static final int[] MESSAGE_HEADER_LENGTH = {11, 7, 3, 0};
    private static final int EXTENDED_TIMESTAMP_MARKER = 0xFFFFFF;

    private enum State { READ_CHUNK, BAD_MESSAGE }

    private final ChunkLimits limits;
    private final AmfLimits amfLimits;
    private final IntObjectMap<ChunkStream> chunkStreams = new IntObjectHashMap<>();
    private State state = State.READ_CHUNK;
    private int chunkSize = 128;
    private long bytesReceived = HANDSHAKE_BYTES;
    private long bytesAcknowledged = HANDSHAKE_BYTES;
    private int ackWindow;

    public ChunkDecoder(ChunkLimits limits, AmfLimits amfLimits) {
        this.limits = limits;
        this.amfLimits = amfLimits;
    }

    /** Per chunk stream: the last message header (for fmt 1-3 compression) and the message in progress. */
    private static final class ChunkStream {
        int timestamp;
        int timestampDelta;
        int length;
        int typeId;
        int streamId;
        /** The last timestamp field was 0xFFFFFF and an extended timestamp followed. */
        boolean extended;
        int extendedValue;
        ByteBuf partial;

        void discardPartial() {
            if (partial != null) {
                partial.release();
                partial = null;
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf buf) {
            bytesReceived += buf.readableBytes();
        }
        super.channelRead(ctx, msg);
        if (ackWindow > 0 && bytesReceived - bytesAcknowledged >= ackWindow && ctx.channel().isActive()) {
            bytesAcknowledged = bytesReceived;
            ctx.writeAndFlush(new Acknowledgement(bytesReceived & 0xFFFFFFFFL));
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (state == State.BAD_MESSAGE) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            while (readChunk(in, out)) {
                // one chunk at a time until the buffer runs short
            }
        } catch (RuntimeException e) {
            state = State.BAD_MESSAGE;
            in.skipBytes(in.readableBytes());
            throw e instanceof RtmpProtocolException ? e : new RtmpProtocolException(e.getMessage(), e);
        }
    }

    /** Reads one whole chunk if it is buffered; returns false, consuming nothing, if it is not. */
    private boolean readChunk(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        if (start >= end) {
            return false;
        }
        // 5.3.1.1 basic header: 1, 2 or 3 bytes
        int first = in.getUnsignedByte(start);
        int fmt = first >>> 6;
        int csid = first & 0x3F;
        int pos = start + 1;
        if (csid == 0) {
            if (pos + 1 > end) {
                return false;
            }
            csid = 64 + in.getUnsignedByte(pos);
            pos += 1;
        } else if (csid == 1) {
            if (pos + 2 > end) {
                return false;
            }
            csid = 64 + in.getUnsignedByte(pos) + (in.getUnsignedByte(pos + 1) << 8);
            pos += 2;
        }
        if (pos + MESSAGE_HEADER_LENGTH[fmt] > end) {
            return false;
        }
        ChunkStream cs = chunkStreams.get(csid);
        if (cs == null && fmt == 3) {
            throw new RtmpProtocolException("chunk stream " + csid + " starts with a type 3 header");
        }
        boolean continuation = cs != null && cs.partial != null;
        if (continuation && fmt != 3) {
            // A new header in the middle of a message: the peer abandoned it (some encoders do this
            // instead of sending Abort). Drop the partial message and start over.
            cs.discardPartial();
            continuation = false;
        }

        // 5.3.1.2 message header
        int timestampField = 0;
        int length = cs == null ? 0 : cs.length;
        int typeId = cs == null ? 0 : cs.typeId;
        int streamId = cs == null ? 0 : cs.streamId;
        if (fmt <= 2) {
            timestampField = in.getUnsignedMedium(pos);
        }
        if (fmt <= 1) {
            length = in.getUnsignedMedium(pos + 3);
            typeId = in.getUnsignedByte(pos + 6);
        }
        if (fmt == 0) {
            streamId = in.getIntLE(pos + 7);
        }
        pos += MESSAGE_HEADER_LENGTH[fmt];

        // 5.3.1.3 extended timestamp; on type 3 chunks some peers repeat it and some do not
        boolean extended;
        int extendedValue = 0;
        if (fmt <= 2) {
            extended = timestampField == EXTENDED_TIMESTAMP_MARKER;
            if (extended) {
                if (pos + 4 > end) {
                    return false;
                }
                extendedValue = in.getInt(pos);
                pos += 4;
            }
        } else {
            extended = cs.extended;
            extendedValue = cs.extendedValue;
            if (extended) {
                if (pos + 4 > end) {
                    return false;
                }
                if (!continuation || in.getInt(pos) == cs.extendedValue) {
                    pos += 4;
                }
            }
        }
        int timestampValue = extended ? extendedValue : timestampField;

        if (!continuation && length > limits.maxMessageSize()) {
            throw new LimitExceededException(Refusal.MESSAGE_SIZE, "message of " + length
                    + " bytes exceeds the limit of " + limits.maxMessageSize() + " (type " + typeId + ", chunk stream " + csid + ")");
        }
        int received = continuation ? cs.partial.readableBytes() : 0;
        int payloadLength = Math.min(chunkSize, length - received);
        if (pos + payloadLength > end) {
            return false;
        }

        // The whole chunk is buffered: commit the header to the chunk stream state.
        if (cs == null) {
            if (chunkStreams.size() >= limits.maxChunkStreams()) {
                throw new LimitExceededException(Refusal.CHUNK_STREAMS,
                        "more than " + limits.maxChunkStreams() + " chunk streams");
            }
            cs = new ChunkStream();
            chunkStreams.put(csid, cs);
        }
        if (!continuation) {
            if (fmt == 0) {
                cs.timestamp = timestampValue;
                cs.timestampDelta = timestampValue; // a following type 3 message repeats it, as ffmpeg reads it
            } else if (fmt <= 2) {
                cs.timestampDelta = timestampValue;
                cs.timestamp += timestampValue;
            } else {
                cs.timestamp += cs.timestampDelta;
            }
            cs.length = length;
            cs.typeId = typeId;
            cs.streamId = streamId;
            cs.extended = extended;
            cs.extendedValue = extendedValue;
        }
        in.readerIndex(pos);

        if (!continuation && payloadLength == length) {
            // the common case with a large chunk size: the message is one chunk, no copy needed
            ByteBuf payload = in.readRetainedSlice(length);
            try {
                emit(cs, csid, payload, out);
            } finally {
                payload.release();
            }
            return true;
        }
        if (!continuation) {
            cs.partial = in.alloc().buffer(Math.min(length, chunkSize * 4), length);
        }
        cs.partial.writeBytes(in, payloadLength);
        if (cs.partial.readableBytes() == cs.length) {
            ByteBuf payload = cs.partial;
            cs.partial = null;
            try {
                emit(cs, csid, payload, out);
            } finally {
                payload.release();
            }
        }
        return true;
    }

    private void emit(ChunkStream cs, int csid, ByteBuf payload, List<Object> out) {
        MessageCodec.decode(cs.typeId, cs.streamId, cs.timestamp, payload, amfLimits, message -> {
            if (!applyControl(message)) {
                out.add(message);
            }
        });
    }

    /** Applies chunk-layer control messages; returns true when the message is consumed here. */
    private boolean applyControl(RtmpMessage message) {
        if (message instanceof SetChunkSize m) {
            if (m.size() < 1 || m.size() > limits.maxChunkSize()) {
                throw new LimitExceededException(Refusal.CHUNK_SIZE,
                        "peer chunk size " + m.size() + " outside 1.." + limits.maxChunkSize());
            }
            chunkSize = m.size();
            return true;
        }
        if (message instanceof Abort m) {
            ChunkStream cs = chunkStreams.get(m.chunkStreamId());
            if (cs != null) {
                cs.discardPartial();
            }
            return true;
        }
        if (message instanceof WindowAckSize m) {
            ackWindow = Math.max(m.size(), 0);
            return true;
        }
        return false;
    }

    /** The peer's current chunk size (for tests and diagnostics). */
    public int chunkSize() {
        return chunkSize;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        for (ChunkStream cs : chunkStreams.values()) {
            cs.discardPartial();
        }
        chunkStreams.clear();
    }
}
