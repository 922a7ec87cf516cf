package io.sluice.system;

import io.sluice.engine.RtmpServerConfig;
import io.sluice.engine.protocol.amf.AmfLimits;
import io.sluice.engine.protocol.chunk.ChunkLimits;
import io.sluice.engine.stream.StreamConfig;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code sluice.rtmp.*}: the RTMP engine's settings. Defaults live in {@code application.yml} on the
 * classpath; the top-level {@code application.yml} overrides what a user changes.
 */
@Validated
@ConfigurationProperties("sluice.rtmp")
public record RtmpProperties(
        @NotBlank String host,
        @Min(0) @Max(65535) int port,
        @NotNull Duration handshakeTimeout,
        @NotNull Duration connectTimeout,
        @NotNull Duration publisherIdleTimeout,
        @NotNull DataSize maxMessageSize,
        @NotNull DataSize maxChunkSize,
        @Min(3) int maxChunkStreams,
        @Min(1) int maxConnections,
        @Min(1) int maxStreamsPerConnection,
        @Min(128) @Max(0xFFFFFF) int outChunkSize,
        @Min(1) int windowAckSize,
        @NotNull Duration playerMaxLag,
        @NotNull DataSize playerWriteBufferLow,
        @NotNull DataSize playerWriteBufferHigh,
        @Min(0) int ioThreads,
        @NotNull DataSize gopCacheMaxBytes,
        @Min(0) int gopCacheMaxPackets,
        @NotNull Duration reconnectGrace,
        @NotNull Duration playWait,
        @NotNull StreamConfig.DuplicatePublishPolicy duplicatePublish) {

    public RtmpServerConfig toConfig() {
        return new RtmpServerConfig(host, port, handshakeTimeout, connectTimeout, publisherIdleTimeout,
                new ChunkLimits((int) maxMessageSize.toBytes(), (int) maxChunkSize.toBytes(), maxChunkStreams),
                AmfLimits.DEFAULT, outChunkSize, windowAckSize, maxConnections, maxStreamsPerConnection, playerMaxLag,
                (int) playerWriteBufferLow.toBytes(), (int) playerWriteBufferHigh.toBytes(), ioThreads,
                new StreamConfig(gopCacheMaxBytes.toBytes(), gopCacheMaxPackets, reconnectGrace, playWait,
                        duplicatePublish));
    }
}
