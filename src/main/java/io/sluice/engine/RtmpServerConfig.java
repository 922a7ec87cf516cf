package io.sluice.engine;

import io.sluice.engine.protocol.amf.AmfLimits;
import io.sluice.engine.protocol.chunk.ChunkLimits;
import io.sluice.engine.stream.StreamConfig;
import io.sluice.engine.tls.TlsListenerConfig;
import java.time.Duration;

/**
 * Everything the RTMP server needs to know, immutable. {@link #defaults()} gives production values;
 * the {@code with...} methods derive variants (tests bind port 0).
 *
 * @param outChunkSize           the chunk size announced to every client (large: fewer chunk headers)
 * @param windowAckSize          the acknowledgement window we ask peers to use
 * @param maxConnections         connections in total; more are closed at once
 * @param maxStreamsPerConnection message streams (createStream) per connection
 * @param playerMaxLag           how long a player may stay unwritable before it is disconnected
 * @param writeBufferLowWaterMark  a player becomes writable again below this many queued bytes
 * @param writeBufferHighWaterMark a player is "slow" above this many queued bytes: media is dropped
 *                                 until the next keyframe
 * @param ioThreads              event loop threads; 0: one per core
 * @param tls                    the optional RTMPS listener (same host), {@link TlsListenerConfig#DISABLED} by default
 */
public record RtmpServerConfig(String host, int port, Duration handshakeTimeout, Duration connectTimeout,
                               Duration publisherIdleTimeout, ChunkLimits chunkLimits, AmfLimits amfLimits,
                               int outChunkSize, int windowAckSize, int maxConnections, int maxStreamsPerConnection,
                               Duration playerMaxLag, int writeBufferLowWaterMark, int writeBufferHighWaterMark,
                               int ioThreads, StreamConfig streams, TlsListenerConfig tls) {

    public RtmpServerConfig {
        tls = tls == null ? TlsListenerConfig.DISABLED : tls;
    }

    /** Without an RTMPS listener. */
    public RtmpServerConfig(String host, int port, Duration handshakeTimeout, Duration connectTimeout,
                            Duration publisherIdleTimeout, ChunkLimits chunkLimits, AmfLimits amfLimits,
                            int outChunkSize, int windowAckSize, int maxConnections, int maxStreamsPerConnection,
                            Duration playerMaxLag, int writeBufferLowWaterMark, int writeBufferHighWaterMark,
                            int ioThreads, StreamConfig streams) {
        this(host, port, handshakeTimeout, connectTimeout, publisherIdleTimeout, chunkLimits, amfLimits, outChunkSize,
                windowAckSize, maxConnections, maxStreamsPerConnection, playerMaxLag, writeBufferLowWaterMark,
                writeBufferHighWaterMark, ioThreads, streams, TlsListenerConfig.DISABLED);
    }

    public static RtmpServerConfig defaults() {
        return new RtmpServerConfig("0.0.0.0", 1935, Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(10), ChunkLimits.DEFAULT, AmfLimits.DEFAULT, 60_000, 2_500_000, 10_000, 8,
                Duration.ofSeconds(10), 512 * 1024, 2 * 1024 * 1024, 0, StreamConfig.DEFAULT, TlsListenerConfig.DISABLED);
    }

    public RtmpServerConfig withPort(int newPort) {
        return new RtmpServerConfig(host, newPort, handshakeTimeout, connectTimeout, publisherIdleTimeout,
                chunkLimits, amfLimits, outChunkSize, windowAckSize, maxConnections, maxStreamsPerConnection,
                playerMaxLag, writeBufferLowWaterMark, writeBufferHighWaterMark, ioThreads, streams, tls);
    }

    public RtmpServerConfig withHost(String newHost) {
        return new RtmpServerConfig(newHost, port, handshakeTimeout, connectTimeout, publisherIdleTimeout,
                chunkLimits, amfLimits, outChunkSize, windowAckSize, maxConnections, maxStreamsPerConnection,
                playerMaxLag, writeBufferLowWaterMark, writeBufferHighWaterMark, ioThreads, streams, tls);
    }

    public RtmpServerConfig withTimeouts(Duration handshake, Duration connect, Duration publisherIdle) {
        return new RtmpServerConfig(host, port, handshake, connect, publisherIdle, chunkLimits, amfLimits,
                outChunkSize, windowAckSize, maxConnections, maxStreamsPerConnection, playerMaxLag,
                writeBufferLowWaterMark, writeBufferHighWaterMark, ioThreads, streams, tls);
    }

    public RtmpServerConfig withLimits(ChunkLimits chunk, int connections) {
        return new RtmpServerConfig(host, port, handshakeTimeout, connectTimeout, publisherIdleTimeout, chunk,
                amfLimits, outChunkSize, windowAckSize, connections, maxStreamsPerConnection, playerMaxLag,
                writeBufferLowWaterMark, writeBufferHighWaterMark, ioThreads, streams, tls);
    }

    public RtmpServerConfig withPlayerBackpressure(Duration maxLag, int lowWaterMark, int highWaterMark) {
        return new RtmpServerConfig(host, port, handshakeTimeout, connectTimeout, publisherIdleTimeout,
                chunkLimits, amfLimits, outChunkSize, windowAckSize, maxConnections, maxStreamsPerConnection, maxLag,
                lowWaterMark, highWaterMark, ioThreads, streams, tls);
    }

    public RtmpServerConfig withTls(TlsListenerConfig newTls) {
        return new RtmpServerConfig(host, port, handshakeTimeout, connectTimeout, publisherIdleTimeout,
                chunkLimits, amfLimits, outChunkSize, windowAckSize, maxConnections, maxStreamsPerConnection,
                playerMaxLag, writeBufferLowWaterMark, writeBufferHighWaterMark, ioThreads, streams, newTls);
    }

    public RtmpServerConfig withStreams(StreamConfig newStreams) {
        return new RtmpServerConfig(host, port, handshakeTimeout, connectTimeout, publisherIdleTimeout,
                chunkLimits, amfLimits, outChunkSize, windowAckSize, maxConnections, maxStreamsPerConnection,
                playerMaxLag, writeBufferLowWaterMark, writeBufferHighWaterMark, ioThreads, newStreams, tls);
    }
}
