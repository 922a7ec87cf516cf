package io.sluice.system;

import io.sluice.engine.RtmpServer;
import io.sluice.engine.spi.AccessGate;
import io.sluice.engine.spi.StreamEventListener;
import io.sluice.engine.spi.StreamEventListeners;
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
                new StreamEventListeners(listeners.orderedStream().toList()));
    }

    @Bean
    RtmpServerLifecycle rtmpServerLifecycle(RtmpServer server) {
        return new RtmpServerLifecycle(server);
    }
}
