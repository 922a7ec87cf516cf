package io.sluice.engine.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The optional RTMPS listener: TLS on its own port next to the plain one, same sessions and streams.
 *
 * @param enabled        whether to listen at all
 * @param port           the TLS port (1936 by default; 0 picks a free one)
 * @param certificate    PEM file: the server certificate, then its chain
 * @param privateKey     PEM file: the private key (PKCS#8, unencrypted: {@code BEGIN PRIVATE KEY})
 * @param reloadInterval how often the two files are checked for changes; new connections get the new
 *                       certificate, open ones keep theirs
 */
public record TlsListenerConfig(boolean enabled, int port, Path certificate, Path privateKey,
                                Duration reloadInterval) {

    public static final TlsListenerConfig DISABLED = new TlsListenerConfig(false, 1936, null, null,
            Duration.ofSeconds(10));

    public TlsListenerConfig {
        reloadInterval = reloadInterval == null ? Duration.ofSeconds(10) : reloadInterval;
        if (enabled) {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(privateKey, "privateKey");
            if (reloadInterval.isNegative() || reloadInterval.isZero()) {
                throw new IllegalArgumentException("reloadInterval must be positive: " + reloadInterval);
            }
        }
    }

    public static TlsListenerConfig of(int port, Path certificate, Path privateKey) {
        return new TlsListenerConfig(true, port, certificate, privateKey, Duration.ofSeconds(10));
    }

    public TlsListenerConfig withPort(int newPort) {
        return new TlsListenerConfig(enabled, newPort, certificate, privateKey, reloadInterval);
    }

    public TlsListenerConfig withReloadInterval(Duration interval) {
        return new TlsListenerConfig(enabled, port, certificate, privateKey, interval);
    }
}
