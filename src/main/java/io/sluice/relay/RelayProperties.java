package io.sluice.relay;

import io.sluice.engine.client.ReconnectPolicy;
import io.sluice.engine.client.RtmpUrl;
import io.sluice.engine.relay.PullRelays;
import io.sluice.system.OutboundUrls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code sluice.relays.*}: restream targets (pushes, managed per stream key over the API), pull relays
 * (declared here) and how both reconnect. Invalid settings fail the start with a message naming the
 * property.
 *
 * @param reconnectInitialDelay the first retry of a failed push or pull comes after this
 * @param reconnectMaxDelay     retries back off exponentially up to this
 * @param pushMaxLag            a push target that cannot take more for this long is reconnected
 *                              (until then it drops to the next keyframe, like a slow player)
 * @param pullDataTimeout       a pull whose remote stream sends nothing for this long reconnects
 * @param pulls                 streams pulled from other servers
 * @param allowedHosts          empty (default): restream targets and pulls may use any host; else only
 *                              these host names ({@code *.example.com} for subdomains). See
 *                              {@link OutboundUrls}.
 * @param blockPrivateAddresses also refuse relay URLs to loopback and private addresses (default false);
 *                              link-local addresses (cloud metadata) are always refused
 */
@ConfigurationProperties("sluice.relays")
public record RelayProperties(@DefaultValue("1s") Duration reconnectInitialDelay,
                              @DefaultValue("30s") Duration reconnectMaxDelay,
                              @DefaultValue("10s") Duration pushMaxLag,
                              @DefaultValue("10s") Duration pullDataTimeout,
                              @DefaultValue List<Pull> pulls,
                              @DefaultValue List<String> allowedHosts,
                              @DefaultValue("false") boolean blockPrivateAddresses) {

    private static final String PREFIX = "sluice.relays.";
    private static final Set<String> SCHEMES = Set.of("rtmp", "rtmps");

    public RelayProperties {
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        reconnectInitialDelay = reconnectInitialDelay == null ? Duration.ofSeconds(1) : reconnectInitialDelay;
        reconnectMaxDelay = reconnectMaxDelay == null ? Duration.ofSeconds(30) : reconnectMaxDelay;
        pushMaxLag = pushMaxLag == null ? Duration.ofSeconds(10) : pushMaxLag;
        pullDataTimeout = pullDataTimeout == null ? Duration.ofSeconds(10) : pullDataTimeout;
        pulls = pulls == null ? List.of() : List.copyOf(pulls);
        positive("reconnect-initial-delay", reconnectInitialDelay);
        positive("reconnect-max-delay", reconnectMaxDelay);
        if (reconnectMaxDelay.compareTo(reconnectInitialDelay) < 0) {
            throw new IllegalArgumentException(PREFIX + "reconnect-max-delay (" + reconnectMaxDelay
                    + ") must not be below reconnect-initial-delay (" + reconnectInitialDelay + ")");
        }
        positive("push-max-lag", pushMaxLag);
        positive("pull-data-timeout", pullDataTimeout);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < pulls.size(); i++) {
            Pull p = pulls.get(i);
            String where = PREFIX + "pulls[" + i + "].";
            p.validate(where, new OutboundUrls.HostPolicy(allowedHosts, blockPrivateAddresses));
            if (!seen.add(p.app() + "/" + p.name())) {
                throw new IllegalArgumentException(where + "name: " + p.app() + "/" + p.name() + " is pulled twice");
            }
        }
    }

    private static void positive(String property, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(PREFIX + property + " must be positive, but is " + d);
        }
    }

    /**
     * Why {@code url} may not be used for a push or a pull, or null: an {@code rtmp[s]://host[:port]/app/stream}
     * URL to a host the policy allows.
     */
    public String refusal(String url) {
        return refusal(url, new OutboundUrls.HostPolicy(allowedHosts, blockPrivateAddresses));
    }

    private static String refusal(String url, OutboundUrls.HostPolicy policy) {
        try {
            RtmpUrl.parse(url);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return OutboundUrls.refusal(url, SCHEMES, policy);
    }

    public ReconnectPolicy reconnectPolicy() {
        return ReconnectPolicy.of(reconnectInitialDelay, reconnectMaxDelay);
    }

    /**
     * A stream pulled from another server.
     *
     * @param app              local application (default {@code live})
     * @param name             local stream name
     * @param url              the remote stream, {@code rtmp://} or {@code rtmps://host[:port]/app/name}
     * @param mode             {@code ON_DEMAND} (default: started by the first player, stopped
     *                         {@code idleTimeout} after the last one left) or {@code ALWAYS}
     * @param idleTimeout      on demand: how long without players before the pull stops (default 10s)
     * @param tlsVerify        rtmps://: verify the server certificate and host name (default true)
     * @param trustCertificate rtmps://: a PEM file to trust instead of the system's CAs (self-signed servers)
     */
    public record Pull(@DefaultValue("live") String app, String name, String url,
                       @DefaultValue("ON_DEMAND") PullRelays.Mode mode,
                       @DefaultValue("10s") Duration idleTimeout,
                       @DefaultValue("true") boolean tlsVerify,
                       Path trustCertificate) {

        public Pull {
            app = app == null || app.isBlank() ? "live" : app.trim();
            mode = mode == null ? PullRelays.Mode.ON_DEMAND : mode;
            idleTimeout = idleTimeout == null ? Duration.ofSeconds(10) : idleTimeout;
        }

        void validate(String where, OutboundUrls.HostPolicy policy) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(where + "name is required");
            }
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException(where + "url is required (rtmp:// or rtmps://host/app/stream)");
            }
            String refusal = refusal(url.trim(), policy);
            if (refusal != null) {
                throw new IllegalArgumentException(where + "url: " + refusal);
            }
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException(where + "idle-timeout must be positive, but is " + idleTimeout);
            }
            if (trustCertificate != null && !Files.isReadable(trustCertificate)) {
                throw new IllegalArgumentException(where + "trust-certificate " + trustCertificate
                        + " is not a readable file");
            }
        }
    }
}
