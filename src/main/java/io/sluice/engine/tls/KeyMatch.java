package io.sluice.engine.tls;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Whether a PEM private key (PKCS#8) belongs to the first certificate of a PEM file: a test signature
 * made with the key must verify with the certificate's public key. Guards a reload against a renewal
 * caught half-way (new key, old certificate).
 */
final class KeyMatch {
    /** Whether the two belong together; UNKNOWN when either cannot be read here (the TLS stack then judges). */
    enum Result { MATCH, MISMATCH, UNKNOWN }

    private KeyMatch() {
    }

    static Result check(Path certificate, Path privateKey) {
        PublicKey publicKey;
        PrivateKey key;
        try {
            X509Certificate cert;
            try (InputStream in = Files.newInputStream(certificate)) {
                cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            publicKey = cert.getPublicKey();
            key = readKey(Files.readString(privateKey, StandardCharsets.US_ASCII), publicKey.getAlgorithm());
        } catch (Exception e) {
            return Result.UNKNOWN;
        }
        try {
            String algorithm = switch (publicKey.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "EC" -> "SHA256withECDSA";
                case "Ed25519", "EdDSA" -> "Ed25519";
                case "Ed448" -> "Ed448";
                default -> null;
            };
            if (algorithm == null) {
                return Result.UNKNOWN;
            }
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature) ? Result.MATCH : Result.MISMATCH;
        } catch (Exception e) {
            return Result.MISMATCH; // e.g. an RSA key with an EC certificate
        }
    }

    private static PrivateKey readKey(String pem, String algorithm) throws Exception {
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("not a PKCS#8 PEM private key");
        }
        String base64 = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                .decode(base64)));
    }
}
