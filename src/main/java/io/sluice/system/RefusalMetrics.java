package io.sluice.system;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.engine.spi.Refusal;
import io.sluice.engine.spi.StreamEventListener;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Counts the peers the engine refused for a limit as {@code sluice.rtmp.refused{reason}}
 * ({@code sluice_rtmp_refused_total} in Prometheus). Every reason is registered at start, at 0, so a
 * rate alert has a series to watch before the first refusal.
 */
@Component
class RefusalMetrics implements StreamEventListener {
    private final Map<Refusal, Counter> counters = new EnumMap<>(Refusal.class);

    RefusalMetrics(MeterRegistry registry) {
        for (Refusal reason : Refusal.values()) {
            counters.put(reason, Counter.builder("sluice.rtmp.refused").tag("reason", reason.tag())
                    .description("Peers refused for going over a limit").register(registry));
        }
    }

    @Override
    public void refused(Refusal reason, InetSocketAddress remote) {
        counters.get(reason).increment();
    }
}
