package io.sluice.engine.protocol.chunk;

/**
 * Limits the chunk decoder enforces on a peer.
 *
 * @param maxMessageSize   largest message accepted (the protocol's own ceiling is 16 MiB - 1)
 * @param maxChunkSize     largest chunk size a peer may announce with Set Chunk Size
 * @param maxChunkStreams  chunk streams one connection may open
 */
public record ChunkLimits(int maxMessageSize, int maxChunkSize, int maxChunkStreams) {

    public static final ChunkLimits DEFAULT = new ChunkLimits(8 * 1024 * 1024, 0xFFFFFF, 64);

    public ChunkLimits {
        if (maxMessageSize < 1 || maxChunkSize < 128 || maxChunkStreams < 3) {
            throw new IllegalArgumentException("chunk limits too small: " + maxMessageSize + "/" + maxChunkSize
                    + "/" + maxChunkStreams);
        }
    }
}
