package io.sluice.system;

import io.sluice.engine.RtmpServerConfig;
import io.sluice.engine.protocol.amf.AmfLimits;
import io.sluice.engine.protocol.chunk.ChunkLimits;
import io.sluice.engine.stream.StreamConfig;
import io.sluice.engine.tls.TlsListenerConfig;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
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
        @NotNull StreamConfig.DuplicatePublishPolicy duplicatePublish,
        @DefaultValue("0ms") Duration mergeWindow,
        Map<String, Duration> appMergeWindows,
        @DefaultValue Tls tls) {

    public RtmpProperties {
        tls = tls == null ? new Tls(false, 1936, null, null, Duration.ofSeconds(10)) : tls;
    }

    /**
     * {@code sluice.rtmp.tls.*}: the optional RTMPS listener next to the plain one.
     *
     * @param enabled        off by default
     * @param port           1936 by default
     * @param certificate    PEM: the certificate, then its chain (e.g. Let's Encrypt's fullchain.pem)
     * @param privateKey     PEM, PKCS#8 unencrypted ({@code BEGIN PRIVATE KEY}; convert an {@code RSA PRIVATE
     *                       KEY} with {@code openssl pkcs8 -topk8 -nocrypt})
     * @param reloadInterval how often both files are checked; when they change, new connections use them
     */
    public record Tls(@DefaultValue("false") boolean enabled,
                      @DefaultValue("1936") int port,
                      Path certificate,
                      Path privateKey,
                      @DefaultValue("10s") Duration reloadInterval) {

        public Tls {
            reloadInterval = reloadInterval == null ? Duration.ofSeconds(10) : reloadInterval;
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("sluice.rtmp.tls.port must be between 0 and 65535, but is " + port);
            }
            if (enabled && (certificate == null || privateKey == null)) {
                throw new IllegalArgumentException("sluice.rtmp.tls.certificate and sluice.rtmp.tls.private-key "
                        + "(PEM files) are required when sluice.rtmp.tls.enabled is true");
            }
            if (reloadInterval.isNegative() || reloadInterval.isZero()) {
                throw new IllegalArgumentException("sluice.rtmp.tls.reload-interval must be positive, but is "
                        + reloadInterval);
            }
        }

        TlsListenerConfig toConfig() {
            return enabled ? new TlsListenerConfig(true, port, certificate, privateKey, reloadInterval)
                    : TlsListenerConfig.DISABLED;
        }
    }

    public RtmpServerConfig toConfig() {
        return new RtmpServerConfig(host, port, handshakeTimeout, connectTimeout, publisherIdleTimeout,
                new ChunkLimits((int) maxMessageSize.toBytes(), (int) maxChunkSize.toBytes(), maxChunkStreams),
                AmfLimits.DEFAULT, outChunkSize, windowAckSize, maxConnections, maxStreamsPerConnection, playerMaxLag,
                (int) playerWriteBufferLow.toBytes(), (int) playerWriteBufferHigh.toBytes(), ioThreads,
                new StreamConfig(gopCacheMaxBytes.toBytes(), gopCacheMaxPackets, reconnectGrace, playWait,
                        duplicatePublish, mergeWindow, appMergeWindows), tls.toConfig());
    }
}
