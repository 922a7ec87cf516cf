package io.sluice.system;

import io.micrometer.core.instrument.Gauge;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.sluice.engine.RtmpServer;
import io.sluice.engine.spi.SessionInfo;
import io.sluice.engine.stream.StreamSnapshot;
import java.util.List;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The engine's figures for {@code /actuator/prometheus}: connections, live streams, players, and per
 * stream (tagged with app, stream and key label) bytes and bitrate in and players; and Netty's own direct
 * memory, which the JVM's buffer pool figures miss when Netty allocates without a cleaner (a leaked
 * buffer shows up here first).
 */
@Component
class EngineMetrics {
    private final RtmpServer server;
    private final MultiGauge bitrateIn;
    private final MultiGauge bytesIn;
    private final MultiGauge players;

    EngineMetrics(RtmpServer server, MeterRegistry registry) {
        this.server = server;
        Gauge.builder("sluice.connections", server, s -> s.sessions().size())
                .description("Open RTMP connections").register(registry);
        Gauge.builder("sluice.streams.live", server, s -> s.streamSnapshots().stream().filter(StreamSnapshot::live).count())
                .description("Live streams").register(registry);
        Gauge.builder("sluice.players", server, s -> s.sessions().stream()
                        .filter(x -> x.role() == SessionInfo.Role.PLAYER).count())
                .description("Connected RTMP players").register(registry);
        Gauge.builder("sluice.bytes.in", server, s -> s.sessions().stream().mapToLong(SessionInfo::bytesIn).sum())
                .description("Bytes received by open connections").baseUnit("bytes").register(registry);
        Gauge.builder("sluice.bytes.out", server, s -> s.sessions().stream().mapToLong(SessionInfo::bytesOut).sum())
                .description("Bytes sent by open connections").baseUnit("bytes").register(registry);
        registerNettyMemory(registry);
        bitrateIn = MultiGauge.builder("sluice.stream.bitrate.in").baseUnit("bits/s")
                .description("Measured bitrate from the publisher").register(registry);
        bytesIn = MultiGauge.builder("sluice.stream.bytes.in").baseUnit("bytes")
                .description("Media bytes received for the stream").register(registry);
        players = MultiGauge.builder("sluice.stream.players").description("Players of the stream").register(registry);
    }

    /** The default allocator is the one the engine's channels use (no channel sets another). */
    private static void registerNettyMemory(MeterRegistry registry) {
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            Gauge.builder("sluice.netty.direct.used", provider, p -> p.metric().usedDirectMemory())
                    .description("Direct memory held by Netty's default allocator (pooled: whole arena chunks)")
                    .baseUnit("bytes").register(registry);
        }
        if (ByteBufAllocator.DEFAULT instanceof PooledByteBufAllocator pooled) {
            Gauge.builder("sluice.netty.direct.pinned", pooled, PooledByteBufAllocator::pinnedDirectMemory)
                    .description("Direct memory in buffers currently allocated from Netty's pool")
                    .baseUnit("bytes").register(registry);
        }
    }

    @Scheduled(fixedRate = 5000, initialDelay = 1000)
    void refreshPerStream() {
        List<StreamSnapshot> streams = server.streamSnapshots();
        bitrateIn.register(streams.stream().map(s -> MultiGauge.Row.of(tags(s), s.bitrateIn())).toList(), true);
        bytesIn.register(streams.stream().map(s -> MultiGauge.Row.of(tags(s), s.bytesIn())).toList(), true);
        players.register(streams.stream().map(s -> MultiGauge.Row.of(tags(s), s.subscribers())).toList(), true);
    }

    private static Tags tags(StreamSnapshot s) {
        return Tags.of("app", s.app(), "stream", s.name(), "key", s.label() == null ? "" : s.label());
    }
}
