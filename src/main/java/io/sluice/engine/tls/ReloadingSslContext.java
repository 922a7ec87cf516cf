package io.sluice.engine.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server {@link SslContext} from a PEM certificate (chain) and a PEM private key, rebuilt when either
 * file's content changes ({@link #reloadIfChanged()}, called periodically). A file that fails to load
 * at start is an error; a bad file later is logged and the previous certificate stays in use, so a
 * half-written renewal never takes the listener down.
 */
public final class ReloadingSslContext implements Supplier<SslContext> {
    private static final Logger log = LoggerFactory.getLogger(ReloadingSslContext.class);

    private final Path certificate;
    private final Path privateKey;
    private volatile SslContext current;
    private byte[] fingerprint;

    /** Loads both files now. */
    public ReloadingSslContext(Path certificate, Path privateKey) throws SSLException {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        byte[] now = fingerprint();
        if (now == null) {
            throw new SSLException("cannot read the TLS certificate " + certificate + " or key " + privateKey);
        }
        current = build();
        fingerprint = now;
    }

    @Override
    public SslContext get() {
        return current;
    }

    /** Rebuilds the context if the files changed; returns true if a new one is in use. */
    public synchronized boolean reloadIfChanged() {
        byte[] now = fingerprint();
        if (now == null || Arrays.equals(now, fingerprint)) {
            return false;
        }
        if (KeyMatch.check(certificate, privateKey) == KeyMatch.Result.MISMATCH) {
            // one file replaced and not yet the other (a renewal in progress): look again next time
            log.debug("TLS certificate {} and key {} do not match (yet); keeping the previous ones", certificate,
                    privateKey);
            return false;
        }
        try {
            current = build();
            fingerprint = now;
            log.info("TLS certificate {} reloaded; new connections use it", certificate);
            return true;
        } catch (SSLException | RuntimeException e) {
            fingerprint = now; // do not retry the same broken content every interval
            log.warn("TLS certificate {} / key {} changed but cannot be loaded ({}); keeping the previous one",
                    certificate, privateKey, e.getMessage());
            return false;
        }
    }

    private SslContext build() throws SSLException {
        try {
            return SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile()).build();
        } catch (IllegalArgumentException e) {
            String hint = e.getMessage() != null && e.getMessage().contains("certificates") ? ""
                    : " (the key must be PEM PKCS#8, unencrypted: BEGIN PRIVATE KEY)";
            throw new SSLException("cannot load the TLS certificate " + certificate + " and key " + privateKey
                    + ": " + e.getMessage() + hint, e);
        }
    }

    /** SHA-256 over both files' bytes, or null if one cannot be read. */
    private byte[] fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(certificate));
            sha.update((byte) 0);
            sha.update(Files.readAllBytes(privateKey));
            return sha.digest();
        } catch (IOException e) {
            log.debug("cannot read {} or {}: {}", certificate, privateKey, e.toString());
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
