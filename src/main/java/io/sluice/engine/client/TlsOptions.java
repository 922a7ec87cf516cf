package io.sluice.engine.client;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * How an {@code rtmps://} connection checks the server. Verification is on by default: the
 * certificate must chain to a trusted certificate and name the host of the URL (hostname verification
 * as for HTTPS).
 *
 * <ul>
 *   <li>{@link #SYSTEM}: the JDK's trust store (public CAs).</li>
 *   <li>{@link #trust(Path)} / {@link #trustPem(String)}: only the certificate(s) in a PEM file or text
 *       (a self-signed server certificate or a private CA); the host name is still checked.</li>
 *   <li>{@link #INSECURE}: no verification at all: any certificate, any name. Only when asked for
 *       explicitly.</li>
 * </ul>
 *
 * @param mode               what to trust
 * @param trustedCertificate for {@link Mode#TRUST_PEM}: the PEM file, or null when {@code trustedPem} is given
 * @param trustedPem         for {@link Mode#TRUST_PEM}: the PEM text, or null when a file is given
 */
public record TlsOptions(Mode mode, Path trustedCertificate, String trustedPem) {

    public enum Mode { SYSTEM, TRUST_PEM, INSECURE }

    public static final TlsOptions SYSTEM = new TlsOptions(Mode.SYSTEM, null, null);
    public static final TlsOptions INSECURE = new TlsOptions(Mode.INSECURE, null, null);

    public TlsOptions {
        Objects.requireNonNull(mode, "mode");
        if (mode == Mode.TRUST_PEM) {
            if ((trustedCertificate == null) == (trustedPem == null)) {
                throw new IllegalArgumentException("trust either a PEM file or PEM text");
            }
        } else {
            trustedCertificate = null;
            trustedPem = null;
        }
    }

    /** Trust only the certificates in the PEM file {@code pem}; the host name is still verified. */
    public static TlsOptions trust(Path pem) {
        return new TlsOptions(Mode.TRUST_PEM, pem, null);
    }

    /** Trust only the certificates in the PEM text {@code pem}; the host name is still verified. */
    public static TlsOptions trustPem(String pem) {
        return new TlsOptions(Mode.TRUST_PEM, null, pem);
    }

    public boolean verifies() {
        return mode != Mode.INSECURE;
    }

    /** A client context for this policy; reads the PEM file each time (it may have been replaced). */
    public SslContext clientContext() throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient();
        switch (mode) {
            case SYSTEM -> {
            }
            case TRUST_PEM -> {
                if (trustedPem != null) {
                    builder.trustManager(new ByteArrayInputStream(trustedPem.getBytes(StandardCharsets.US_ASCII)));
                } else if (!Files.isReadable(trustedCertificate)) {
                    throw new SSLException("trusted certificate " + trustedCertificate + " is not a readable file");
                } else {
                    builder.trustManager(trustedCertificate.toFile());
                }
            }
            case INSECURE -> builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        return builder.build();
    }

    /**
     * A handler for a connection to {@code host:port}: sends SNI for a host name and, unless insecure,
     * checks that the certificate names {@code host}.
     */
    public SslHandler newHandler(SslContext context, ByteBufAllocator alloc, String host, int port) {
        SslHandler handler = context.newHandler(alloc, host, port);
        if (verifies()) {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        return handler;
    }

    @Override
    public String toString() {
        return switch (mode) {
            case SYSTEM -> "verify (system trust store)";
            case TRUST_PEM -> "verify (trust " + (trustedCertificate != null ? trustedCertificate : "a given certificate") + ")";
            case INSECURE -> "no verification";
        };
    }
}
