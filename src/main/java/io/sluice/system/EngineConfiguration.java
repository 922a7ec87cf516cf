package io.sluice.system;

import io.sluice.engine.RtmpServer;
import io.sluice.engine.spi.AccessGate;
import io.sluice.engine.spi.SessionInfo;
import io.sluice.engine.spi.StreamEventListener;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the framework-free engine to the application's gate and listeners. */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

    @Bean
    RtmpServer rtmpServer(RtmpProperties properties, ObjectProvider<AccessGate> gate,
                          ObjectProvider<StreamEventListener> listeners) {
        return new RtmpServer(properties.toConfig(), gate.getIfAvailable(() -> AccessGate.ALLOW_ALL),
                fanOut(listeners.orderedStream().toList()));
    }

    @Bean
    RtmpServerLifecycle rtmpServerLifecycle(RtmpServer server) {
        return new RtmpServerLifecycle(server);
    }

    /** One listener that tells all the application's listeners, each isolated from the others' failures. */
    private static StreamEventListener fanOut(List<StreamEventListener> listeners) {
        if (listeners.isEmpty()) {
            return StreamEventListener.NONE;
        }
        return new StreamEventListener() {
            @Override
            public void connected(SessionInfo s) {
                listeners.forEach(l -> safely(() -> l.connected(s)));
            }

            @Override
            public void publishStarted(SessionInfo s) {
                listeners.forEach(l -> safely(() -> l.publishStarted(s)));
            }

            @Override
            public void recordRequested(SessionInfo s) {
                listeners.forEach(l -> safely(() -> l.recordRequested(s)));
            }

            @Override
            public void publishEnded(SessionInfo s) {
                listeners.forEach(l -> safely(() -> l.publishEnded(s)));
            }

            @Override
            public void playStarted(SessionInfo s) {
                listeners.forEach(l -> safely(() -> l.playStarted(s)));
            }

            @Override
            public void playEnded(SessionInfo s) {
                listeners.forEach(l -> safely(() -> l.playEnded(s)));
            }

            @Override
            public void disconnected(SessionInfo s) {
                listeners.forEach(l -> safely(() -> l.disconnected(s)));
            }
        };
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(EngineConfiguration.class).warn("stream event listener failed", e);
        }
    }
}
