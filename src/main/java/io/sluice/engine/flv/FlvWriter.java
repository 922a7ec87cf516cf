package io.sluice.engine.flv;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes an FLV file (FLV 10.1 Annex E) to a blocking channel, one gathering write per tag, without
 * buffering: after a call returns, its bytes were handed to the channel. Not thread-safe.
 */
public final class FlvWriter implements AutoCloseable {

    private final WritableByteChannel channel;
    private final ByteBuffer tagHeader = ByteBuffer.allocate(FlvTags.TAG_HEADER_SIZE);
    private final ByteBuffer previousTagSize = ByteBuffer.allocate(FlvTags.PREVIOUS_TAG_SIZE_SIZE);
    private long position;

    public FlvWriter(WritableByteChannel channel) {
        this(channel, 0);
    }

    /** @param startPosition the channel's current offset, e.g. when appending to an existing file */
    public FlvWriter(WritableByteChannel channel, long startPosition) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.position = startPosition;
    }

    /** Creates or truncates a file; {@link #close()} closes it. */
    public static FlvWriter create(Path file) throws IOException {
        return new FlvWriter(FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
    }

    /** The 9-byte header (version 1, DataOffset 9) and PreviousTagSize0 = 0. */
    public void writeHeader(boolean audio, boolean video) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(FlvTags.HEADER_SIZE + FlvTags.PREVIOUS_TAG_SIZE_SIZE);
        bytes.put((byte) 'F').put((byte) 'L').put((byte) 'V').put((byte) 1)
                .put((byte) ((audio ? FlvTags.FLAG_AUDIO : 0) | (video ? FlvTags.FLAG_VIDEO : 0)))
                .putInt(FlvTags.HEADER_SIZE)
                .putInt(0)
                .flip();
        writeAll(new ByteBuffer[] {bytes});
    }

    /**
     * One tag: 11-byte header, the payload's readable bytes, PreviousTagSize = 11 + size. The payload's
     * indexes and reference count are left alone.
     *
     * @param type      8, 9 or 18
     * @param timestamp milliseconds; the high byte goes to TimestampExtended
     */
    public void writeTag(int type, int timestamp, ByteBuf payload) throws IOException {
        if (!FlvTags.isKnownType(type)) {
            throw new IllegalArgumentException("FLV tag type must be 8, 9 or 18: " + type);
        }
        int size = payload.readableBytes();
        if (size > FlvTags.MAX_DATA_SIZE) {
            throw new IllegalArgumentException("FLV tag body too large: " + size);
        }
        tagHeader.clear();
        tagHeader.put((byte) type)
                .put((byte) (size >>> 16)).put((byte) (size >>> 8)).put((byte) size)
                .put((byte) (timestamp >>> 16)).put((byte) (timestamp >>> 8)).put((byte) timestamp)
                .put((byte) (timestamp >>> 24))
                .put((byte) 0).put((byte) 0).put((byte) 0)
                .flip();
        previousTagSize.clear();
        previousTagSize.putInt(FlvTags.TAG_HEADER_SIZE + size).flip();

        ByteBuffer[] body = size == 0 ? new ByteBuffer[0] : payload.nioBuffers(payload.readerIndex(), size);
        ByteBuffer[] all = new ByteBuffer[body.length + 2];
        all[0] = tagHeader;
        System.arraycopy(body, 0, all, 1, body.length);
        all[all.length - 1] = previousTagSize;
        writeAll(all);
    }

    /** Writes a tag; does not release it. */
    public void writeTag(FlvTag tag) throws IOException {
        writeTag(tag.type(), tag.timestamp(), tag.payload());
    }

    /** Bytes written so far, plus the start position given to the constructor. */
    public long position() {
        return position;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void writeAll(ByteBuffer[] buffers) throws IOException {
        long remaining = 0;
        for (ByteBuffer b : buffers) {
            remaining += b.remaining();
        }
        if (channel instanceof GatheringByteChannel gathering) {
            int first = 0;
            while (remaining > 0) {
                long n = gathering.write(buffers, first, buffers.length - first);
                progress(n);
                remaining -= n;
                while (first < buffers.length && !buffers[first].hasRemaining()) {
                    first++;
                }
            }
        } else {
            for (ByteBuffer b : buffers) {
                while (b.hasRemaining()) {
                    progress(channel.write(b));
                }
            }
        }
    }

    private void progress(long written) throws IOException {
        if (written <= 0) {
            throw new IOException("channel accepted no bytes; FlvWriter needs a blocking channel");
        }
        position += written;
    }
}
