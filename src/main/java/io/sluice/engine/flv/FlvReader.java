package io.sluice.engine.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an FLV file (FLV 10.1 Annex E) tag by tag from a blocking channel. Not thread-safe.
 *
 * <ul>
 *   <li>A file that ends inside the header or inside a tag (header, body or its PreviousTagSize) ends
 *       cleanly: {@link #next()} returns null and {@link #truncatedTail()} is true. That is what a
 *       recording cut by a crash looks like; {@link #lastCompleteTagEnd()} is where to truncate it.</li>
 *   <li>A wrong PreviousTagSize is tolerated, counted ({@link #previousTagSizeMismatches()}) and logged
 *       once at DEBUG: some muxers write wrong values, and DataSize alone delimits tags.</li>
 *   <li>Bytes that are present and wrong throw {@link FlvFormatException}: bad signature, version or
 *       flags, a DataOffset below 9 or above 1 MiB, a tag with the Filter bit (encrypted, E.4.1),
 *       reserved bits or a type other than 8, 9, 18, or a DataSize above the configured maximum.
 *       After an exception the reader must only be closed.</li>
 * </ul>
 *
 * Each tag's payload is allocated from the given allocator; the caller releases the returned tags.
 */
public final class FlvReader implements AutoCloseable {

    /** Default limit on DataSize: 16 MiB, above the UI24 maximum, so no valid tag is refused. */
    public static final int DEFAULT_MAX_TAG_SIZE = 16 * 1024 * 1024;

    /** Largest accepted DataOffset: version 1 files use 9; a huge value means garbage. */
    static final long MAX_DATA_OFFSET = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(FlvReader.class);
    private static final int READ_AHEAD = 64 * 1024;

    private final ReadableByteChannel channel;
    private final ByteBufAllocator allocator;
    private final int maxTagSize;
    private final ByteBuffer in = ByteBuffer.allocate(READ_AHEAD).flip();
    private final ByteBuffer tagHeader = ByteBuffer.allocate(FlvTags.TAG_HEADER_SIZE);
    private final ByteBuffer previousTagSize = ByteBuffer.allocate(FlvTags.PREVIOUS_TAG_SIZE_SIZE);

    private boolean eof;
    private long position;
    private FlvHeader header;
    private boolean headerRead;
    private boolean ended;
    private boolean failed;
    private boolean truncatedTail;
    private long lastCompleteTagEnd;
    private long tagCount;
    private long previousTagSizeMismatches;

    public FlvReader(ReadableByteChannel channel) {
        this(channel, ByteBufAllocator.DEFAULT, DEFAULT_MAX_TAG_SIZE);
    }

    public FlvReader(ReadableByteChannel channel, ByteBufAllocator allocator) {
        this(channel, allocator, DEFAULT_MAX_TAG_SIZE);
    }

    /** @param maxTagSize largest accepted DataSize in bytes; larger tags throw FlvFormatException */
    public FlvReader(ReadableByteChannel channel, ByteBufAllocator allocator, int maxTagSize) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        if (maxTagSize < 0) {
            throw new IllegalArgumentException("maxTagSize < 0: " + maxTagSize);
        }
        this.maxTagSize = maxTagSize;
    }

    /** Opens a file; {@link #close()} closes it. */
    public static FlvReader open(Path file) throws IOException {
        return open(file, ByteBufAllocator.DEFAULT, DEFAULT_MAX_TAG_SIZE);
    }

    public static FlvReader open(Path file, ByteBufAllocator allocator, int maxTagSize) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new FlvReader(channel, allocator, maxTagSize);
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The file header, read on first use; null if the input ends before it is complete. */
    public FlvHeader header() throws IOException {
        checkUsable();
        readHeader();
        return header;
    }

    /**
     * The next complete tag, or null at the end of the input (check {@link #truncatedTail()}).
     *
     * @throws FlvFormatException on invalid bytes (see the class comment)
     * @throws IOException        from the channel
     */
    public FlvTag next() throws IOException {
        checkUsable();
        readHeader();
        if (ended) {
            return null;
        }
        long tagStart = position;
        tagHeader.clear();
        if (!readFully(tagHeader)) {
            return endOfInput(tagHeader.position() > 0);
        }
        int b0 = tagHeader.get(0) & 0xFF;
        int type = b0 & 0x1F;
        if ((b0 & 0x20) != 0) {
            throw fail("tag at offset " + tagStart + " has the Filter bit set (encrypted or filtered content)");
        }
        if ((b0 & 0xC0) != 0 || !FlvTags.isKnownType(type)) {
            throw fail(String.format("bad tag type byte 0x%02x at offset %d", b0, tagStart));
        }
        int size = medium(tagHeader, 1);
        if (size > maxTagSize) {
            throw fail("tag at offset " + tagStart + " declares " + size + " bytes, limit " + maxTagSize);
        }
        int timestamp = medium(tagHeader, 4) | (tagHeader.get(7) & 0xFF) << 24;
        // StreamID (bytes 8..10) is always 0 (E.4.1); not checked, nothing depends on it.

        ByteBuf payload = allocator.buffer(size);
        boolean complete = false;
        try {
            if (!readInto(payload, size)) {
                return endOfInput(true);
            }
            previousTagSize.clear();
            if (!readFully(previousTagSize)) {
                return endOfInput(true);
            }
            checkPreviousTagSize(previousTagSize.getInt(0), FlvTags.TAG_HEADER_SIZE + size, tagStart);
            complete = true;
        } finally {
            if (!complete) {
                payload.release();
            }
        }
        lastCompleteTagEnd = position;
        tagCount++;
        return new FlvTag(type, timestamp, payload);
    }

    /** True once the input ended inside the header or a tag: the unfinished part was not returned. */
    public boolean truncatedTail() {
        return truncatedTail;
    }

    /**
     * Byte offset just after the last complete tag's PreviousTagSize (or after PreviousTagSize0 if no
     * tag is complete; 0 if the header is not): a damaged file can be truncated here.
     */
    public long lastCompleteTagEnd() {
        return lastCompleteTagEnd;
    }

    /** Bytes consumed from the channel by the parser so far. */
    public long position() {
        return position;
    }

    /** Complete tags returned so far. */
    public long tagCount() {
        return tagCount;
    }

    /** PreviousTagSize fields (including PreviousTagSize0) that did not match the tag before them. */
    public long previousTagSizeMismatches() {
        return previousTagSizeMismatches;
    }

    /** Closes the channel. Tags already returned stay valid. */
    @Override
    public void close() throws IOException {
        ended = true;
        channel.close();
    }

    private void checkUsable() {
        if (failed) {
            throw new IllegalStateException("FlvReader failed on invalid input; close it");
        }
    }

    private void readHeader() throws IOException {
        if (headerRead) {
            return;
        }
        headerRead = true;
        ByteBuffer bytes = ByteBuffer.allocate(FlvTags.HEADER_SIZE);
        boolean complete = readFully(bytes);
        // Validate what is there even if the input ends early: "FL" is a cut FLV, "GIF8" is not FLV.
        int n = bytes.position();
        for (int i = 0; i < Math.min(n, 3); i++) {
            if (bytes.get(i) != "FLV".charAt(i)) {
                throw fail("not an FLV file: bad signature");
            }
        }
        if (n > 3 && bytes.get(3) != 1) {
            throw fail("unsupported FLV version " + (bytes.get(3) & 0xFF));
        }
        if (n > 4 && (bytes.get(4) & ~(FlvTags.FLAG_AUDIO | FlvTags.FLAG_VIDEO)) != 0) {
            throw fail(String.format("bad FLV header flags 0x%02x", bytes.get(4) & 0xFF));
        }
        if (!complete) {
            endOfInput(true);
            return;
        }
        long dataOffset = bytes.getInt(5) & 0xFFFFFFFFL;
        if (dataOffset < FlvTags.HEADER_SIZE || dataOffset > MAX_DATA_OFFSET) {
            throw fail("bad FLV DataOffset " + dataOffset);
        }
        FlvHeader parsed = new FlvHeader(1, bytes.get(4), dataOffset);
        if (!skip(dataOffset - FlvTags.HEADER_SIZE)) {
            endOfInput(true);
            return;
        }
        previousTagSize.clear();
        if (!readFully(previousTagSize)) {
            endOfInput(true);
            return;
        }
        header = parsed;
        checkPreviousTagSize(previousTagSize.getInt(0), 0, dataOffset);
        lastCompleteTagEnd = position;
    }

    private void checkPreviousTagSize(int actual, int expected, long offset) {
        if (actual != expected) {
            if (previousTagSizeMismatches++ == 0) {
                log.debug("PreviousTagSize {} != {} after offset {}; tolerated, further mismatches are only counted",
                        Integer.toUnsignedLong(actual), expected, offset);
            }
        }
    }

    private FlvTag endOfInput(boolean truncated) {
        ended = true;
        truncatedTail |= truncated;
        return null;
    }

    private FlvFormatException fail(String message) {
        failed = true;
        ended = true;
        return new FlvFormatException(message);
    }

    private static int medium(ByteBuffer b, int index) {
        return (b.get(index) & 0xFF) << 16 | (b.get(index + 1) & 0xFF) << 8 | b.get(index + 2) & 0xFF;
    }

    /** Appends exactly {@code length} bytes to {@code buf}; false at end of input. */
    private boolean readInto(ByteBuf buf, int length) throws IOException {
        if (length == 0) {
            return true;
        }
        if (buf.nioBufferCount() == 1) {
            ByteBuffer target = buf.nioBuffer(buf.writerIndex(), length);
            if (!readFully(target)) {
                return false;
            }
            buf.writerIndex(buf.writerIndex() + length);
            return true;
        }
        ByteBuffer target = ByteBuffer.allocate(length); // unusual allocator: copy once
        if (!readFully(target)) {
            return false;
        }
        buf.writeBytes(target.flip());
        return true;
    }

    private boolean skip(long count) throws IOException {
        ByteBuffer scratch = ByteBuffer.allocate((int) Math.min(count, 8192));
        while (count > 0) {
            scratch.clear().limit((int) Math.min(count, scratch.capacity()));
            if (!readFully(scratch)) {
                return false;
            }
            count -= scratch.limit();
        }
        return true;
    }

    /**
     * Fills {@code dst} from the read-ahead buffer, then the channel. Large reads bypass the
     * read-ahead buffer. False if the input ends first ({@code dst} keeps what was read).
     */
    private boolean readFully(ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            if (in.hasRemaining()) {
                int n = Math.min(in.remaining(), dst.remaining());
                ByteBuffer chunk = in.duplicate();
                chunk.limit(chunk.position() + n);
                dst.put(chunk);
                in.position(in.position() + n);
                position += n;
                continue;
            }
            if (eof) {
                return false;
            }
            int n;
            if (dst.remaining() >= in.capacity()) {
                n = channel.read(dst);
                if (n > 0) {
                    position += n;
                }
            } else {
                in.clear();
                n = channel.read(in);
                in.flip();
            }
            if (n < 0) {
                eof = true;
                return false;
            }
            if (n == 0) {
                throw new IOException("channel returned no bytes; FlvReader needs a blocking channel");
            }
        }
        return true;
    }
}
