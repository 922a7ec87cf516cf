package io.sluice.relay;

import io.sluice.engine.RtmpServer;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.TlsOptions;
import io.sluice.engine.relay.PullRelays;
import io.sluice.engine.relay.RelayStatus;
import io.sluice.engine.stream.StreamKey;
import io.sluice.relay.RelayDtos.PullView;
import io.sluice.relay.RelayDtos.RelayView;
import java.util.List;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * The pull relays of {@code sluice.relays.pulls}: always-on ones run with the application, on-demand
 * ones start with their first player (the engine's {@code playStarted}) and stop after their idle
 * timeout. A pulled stream is published into the engine's registry: players, recordings and the API
 * see a live stream like any other.
 */
@Service
public class PullRelayService implements SmartLifecycle {
    private final PullRelays relays;
    private volatile boolean running;

    PullRelayService(RtmpServer server, RelayProperties properties) {
        List<PullRelays.Pull> pulls = properties.pulls().stream().map(p -> new PullRelays.Pull(
                new StreamKey(p.app(), p.name()), p.url().trim(), p.mode(), p.idleTimeout(),
                RtmpClient.Options.DEFAULT.withTls(!p.tlsVerify() ? TlsOptions.INSECURE
                        : p.trustCertificate() != null ? TlsOptions.trust(p.trustCertificate()) : TlsOptions.SYSTEM)))
                .toList();
        this.relays = new PullRelays(server.streams(), pulls, properties.reconnectPolicy(), properties.pullDataTimeout());
        server.addStreamEventListener(relays);
    }

    /** For other viewers than RTMP players (HTTP-FLV): starts {@code app/name}'s on-demand pull, if declared. */
    public boolean demand(String app, String name) {
        return relays.demand(new StreamKey(app, name));
    }

    public List<PullView> list() {
        return relays.list().stream().map(v -> new PullView(v.pull().key().app(), v.pull().key().name(),
                masked(v), v.pull().mode(), v.pull().idleTimeout().toSeconds(), v.running(),
                v.status() == null ? RelayView.IDLE : RelayView.of(v.status()))).toList();
    }

    private static String masked(PullRelays.PullView v) {
        RelayStatus s = v.status();
        if (s != null) {
            return s.url();
        }
        String url = v.pull().url();
        int slash = url.lastIndexOf('/');
        return slash < 0 ? url : url.substring(0, slash + 1) + "****";
    }

    @Override
    public void start() {
        relays.start();
        running = true;
    }

    @Override
    public void stop() {
        relays.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Starts just before the RTMP server's lifecycle and stops just after it: a pull only needs the
     * stream registry, which exists before the listener binds.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }
}
