package io.sluice.system;

import io.sluice.engine.RtmpServer;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops the RTMP engine with the application context. A failure to bind fails the
 * context, so the process exits non-zero with the engine's one clear message.
 */
public class RtmpServerLifecycle implements SmartLifecycle {
    private final RtmpServer server;

    RtmpServerLifecycle(RtmpServer server) {
        this.server = server;
    }

    @Override
    public void start() {
        server.start();
    }

    @Override
    public void stop() {
        server.stop(Duration.ofSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return server.isRunning();
    }

    /** The bound RTMP port (tests bind port 0). */
    public int port() {
        return server.port();
    }
}
