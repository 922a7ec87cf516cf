package io.sluice.live;

import io.sluice.engine.RtmpServer;
import io.sluice.engine.spi.SessionInfo;
import java.util.HashMap;
import java.util.Map;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Measures each session's bitrate in and out from its byte counters, every two seconds. */
@Component
class TrafficSampler {
    record Rate(long bitsInPerSecond, long bitsOutPerSecond) {
        static final Rate ZERO = new Rate(0, 0);
    }

    private record Sample(long nanos, long bytesIn, long bytesOut) {
    }

    private final RtmpServer server;
    private Map<Long, Sample> last = new HashMap<>();
    private volatile Map<Long, Rate> rates = Map.of();

    TrafficSampler(RtmpServer server) {
        this.server = server;
    }

    @Scheduled(fixedRate = 2000)
    void sample() {
        long now = System.nanoTime();
        Map<Long, Sample> current = new HashMap<>();
        Map<Long, Rate> computed = new HashMap<>();
        for (SessionInfo s : server.sessions()) {
            Sample sample = new Sample(now, s.bytesIn(), s.bytesOut());
            current.put(s.id(), sample);
            Sample before = last.get(s.id());
            if (before != null && now > before.nanos()) {
                double seconds = (now - before.nanos()) / 1e9;
                computed.put(s.id(), new Rate((long) ((sample.bytesIn() - before.bytesIn()) * 8 / seconds),
                        (long) ((sample.bytesOut() - before.bytesOut()) * 8 / seconds)));
            }
        }
        last = current;
        rates = computed;
    }

    Rate rate(long sessionId) {
        return rates.getOrDefault(sessionId, Rate.ZERO);
    }
}
