package io.sluice.engine.protocol.handshake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The arithmetic of the "digest" (a.k.a. complex, FP9) RTMP handshake that Flash Player, Flash Media
 * Server, librtmp and FFmpeg use on top of the plain RTMP 1.0 handshake. Shared by
 * {@link ServerHandshakeHandler} and {@link ClientHandshakeHandler}.
 *
 * <p>A C1 or S1 packet (1536 bytes: time 4, version 4, random 1528) carries a 32-byte HMAC-SHA256
 * digest somewhere inside one of two 764-byte halves; where exactly depends on the {@link Scheme}
 * and on four bytes of the packet itself. The digest is the HMAC over the 1536 bytes with the 32
 * digest bytes removed, keyed with the first 30 bytes of the Flash Player key (client packets) or
 * the first 36 bytes of the Flash Media Server key (server packets).
 *
 * <p>The second-round packets (C2/S2) are 1504 random bytes followed by an HMAC-SHA256 over those
 * bytes, keyed with HMAC-SHA256(full key, digest the peer sent in its first-round packet): the
 * server uses the full 68-byte FMS key and the client's C1 digest, the client the full 62-byte
 * Flash Player key and the server's S1 digest.
 */
final class HandshakeDigest {

    /** C0/S0: plain RTMP. */
    static final int RTMP_VERSION = 3;
    /** Size of C1, S1, C2 and S2. */
    static final int PACKET_SIZE = 1536;
    /** Size of an HMAC-SHA256 value. */
    static final int DIGEST_SIZE = 32;
    /** Bytes of a C2/S2 covered by its trailing signature. */
    static final int SIGNED_SIZE = PACKET_SIZE - DIGEST_SIZE;

    private static final byte[] KEY_SUFFIX = {
        (byte) 0xF0, (byte) 0xEE, (byte) 0xC2, (byte) 0x4A, (byte) 0x80, (byte) 0x68, (byte) 0xBE, (byte) 0xE8,
        (byte) 0x2E, (byte) 0x00, (byte) 0xD0, (byte) 0xD1, (byte) 0x02, (byte) 0x9E, (byte) 0x7E, (byte) 0x57,
        (byte) 0x6E, (byte) 0xEC, (byte) 0x5D, (byte) 0x2D, (byte) 0x29, (byte) 0x80, (byte) 0x6F, (byte) 0xAB,
        (byte) 0x93, (byte) 0xB8, (byte) 0xE6, (byte) 0x36, (byte) 0xCF, (byte) 0xEB, (byte) 0x31, (byte) 0xAE,
    };

    /** "Genuine Adobe Flash Player 001" followed by the common suffix: 62 bytes. */
    private static final byte[] FP_KEY = withSuffix("Genuine Adobe Flash Player 001");
    /** "Genuine Adobe Flash Media Server 001" followed by the common suffix: 68 bytes. */
    private static final byte[] FMS_KEY = withSuffix("Genuine Adobe Flash Media Server 001");

    /** Length of the readable part of the Flash Player key, which keys C1 digests. */
    static final int FP_KEY_PARTIAL = 30;
    /** Length of the readable part of the Flash Media Server key, which keys S1 digests. */
    static final int FMS_KEY_PARTIAL = 36;

    private static final String HMAC_SHA256 = "HmacSHA256";
    /** Origin of the 4-byte time field of the C1/S1 packets we send. */
    private static final long EPOCH_NANOS = System.nanoTime();

    /** Where a first-round packet keeps its digest. */
    enum Scheme {
        /** Digest block in bytes 8..771: offset = (sum of bytes 8..11) % 728 + 12. */
        SCHEME_0(8),
        /** Digest block in bytes 772..1535: offset = (sum of bytes 772..775) % 728 + 776. */
        SCHEME_1(772);

        private final int base;

        Scheme(int base) {
            this.base = base;
        }

        /** Offset of the 32 digest bytes inside {@code packet}; always in [base + 4, base + 763 - 32]. */
        int digestOffset(byte[] packet) {
            int sum = (packet[base] & 0xFF) + (packet[base + 1] & 0xFF)
                    + (packet[base + 2] & 0xFF) + (packet[base + 3] & 0xFF);
            return sum % 728 + base + 4;
        }

        Scheme other() {
            return this == SCHEME_0 ? SCHEME_1 : SCHEME_0;
        }
    }

    /** A digest found in a first-round packet. */
    record Found(Scheme scheme, byte[] digest) {
    }

    private HandshakeDigest() {
    }

    /**
     * A new C1 or S1 without digest: milliseconds since this class was loaded (4 bytes, big
     * endian), {@code version} (4 bytes, zeros for the plain handshake), then 1528 random bytes.
     */
    static byte[] firstRoundPacket(byte[] version) {
        byte[] packet = new byte[PACKET_SIZE];
        ThreadLocalRandom.current().nextBytes(packet);
        int time = (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - EPOCH_NANOS);
        packet[0] = (byte) (time >>> 24);
        packet[1] = (byte) (time >>> 16);
        packet[2] = (byte) (time >>> 8);
        packet[3] = (byte) time;
        System.arraycopy(version, 0, packet, 4, 4);
        return packet;
    }

    /** A copy of the 62-byte Flash Player key. */
    static byte[] flashPlayerKey() {
        return FP_KEY.clone();
    }

    /** A copy of the 68-byte Flash Media Server key. */
    static byte[] flashMediaServerKey() {
        return FMS_KEY.clone();
    }

    /**
     * The digest of a first-round packet whose digest sits where {@code scheme} puts it: the HMAC
     * over the packet without those 32 bytes, keyed with the first 30 bytes of the Flash Player key
     * ({@code server == false}, a C1) or the first 36 bytes of the Flash Media Server key
     * ({@code server == true}, an S1).
     */
    static byte[] compute(byte[] packet, Scheme scheme, boolean server) {
        checkPacket(packet);
        int offset = scheme.digestOffset(packet);
        Mac mac = server ? mac(FMS_KEY, FMS_KEY_PARTIAL) : mac(FP_KEY, FP_KEY_PARTIAL);
        mac.update(packet, 0, offset);
        mac.update(packet, offset + DIGEST_SIZE, PACKET_SIZE - offset - DIGEST_SIZE);
        return mac.doFinal();
    }

    /** Writes the digest of {@code packet} into it where {@code scheme} puts it, and returns that digest. */
    static byte[] imprint(byte[] packet, Scheme scheme, boolean server) {
        byte[] digest = compute(packet, scheme, server);
        System.arraycopy(digest, 0, packet, scheme.digestOffset(packet), DIGEST_SIZE);
        return digest;
    }

    /** Whether {@code packet} carries a valid digest where {@code scheme} puts it. */
    static boolean validate(byte[] packet, Scheme scheme, boolean server) {
        byte[] expected = compute(packet, scheme, server);
        int offset = scheme.digestOffset(packet);
        byte[] actual = new byte[DIGEST_SIZE];
        System.arraycopy(packet, offset, actual, 0, DIGEST_SIZE);
        return MessageDigest.isEqual(expected, actual);
    }

    /**
     * Looks for a valid digest in {@code packet}, trying {@code first} and then the other scheme.
     *
     * @return the scheme and digest, or {@code null} if neither scheme validates
     */
    static Found find(byte[] packet, Scheme first, boolean server) {
        for (Scheme scheme : new Scheme[] {first, first.other()}) {
            if (validate(packet, scheme, server)) {
                int offset = scheme.digestOffset(packet);
                byte[] digest = new byte[DIGEST_SIZE];
                System.arraycopy(packet, offset, digest, 0, DIGEST_SIZE);
                return new Found(scheme, digest);
            }
        }
        return null;
    }

    /**
     * The 32-byte signature that ends a second-round packet answering a peer whose first-round
     * digest was {@code peerDigest}: HMAC(HMAC(full key, peerDigest), packet[0..1504]). The server
     * signs S2 with the full FMS key ({@code server == true}), the client C2 with the full Flash
     * Player key.
     */
    static byte[] responseSignature(byte[] packet, byte[] peerDigest, boolean server) {
        checkPacket(packet);
        byte[] key = server ? FMS_KEY : FP_KEY;
        byte[] responseKey = hmac(key, key.length, peerDigest, 0, peerDigest.length);
        return hmac(responseKey, responseKey.length, packet, 0, SIGNED_SIZE);
    }

    /** A fresh second-round packet: 1504 random bytes and their signature (see {@link #responseSignature}). */
    static byte[] response(byte[] peerDigest, boolean server) {
        byte[] packet = new byte[PACKET_SIZE];
        ThreadLocalRandom.current().nextBytes(packet);
        byte[] signature = responseSignature(packet, peerDigest, server);
        System.arraycopy(signature, 0, packet, SIGNED_SIZE, DIGEST_SIZE);
        return packet;
    }

    /** Whether the last 32 bytes of {@code packet} are the signature {@link #responseSignature} expects. */
    static boolean validateResponse(byte[] packet, byte[] peerDigest, boolean server) {
        byte[] expected = responseSignature(packet, peerDigest, server);
        byte[] actual = new byte[DIGEST_SIZE];
        System.arraycopy(packet, SIGNED_SIZE, actual, 0, DIGEST_SIZE);
        return MessageDigest.isEqual(expected, actual);
    }

    /** HMAC-SHA256 of {@code data[offset, offset + length)} keyed with {@code key[0, keyLength)}. */
    static byte[] hmac(byte[] key, int keyLength, byte[] data, int offset, int length) {
        Mac mac = mac(key, keyLength);
        mac.update(data, offset, length);
        return mac.doFinal();
    }

    /** Whether bytes 4..7 (the version field) of a first-round packet are not all zero. */
    static boolean hasVersion(byte[] packet) {
        return (packet[4] | packet[5] | packet[6] | packet[7]) != 0;
    }

    private static Mac mac(byte[] key, int keyLength) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(new SecretKeySpec(key, 0, keyLength, HMAC_SHA256));
            return mac;
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is mandatory on every Java platform.
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static void checkPacket(byte[] packet) {
        if (packet.length != PACKET_SIZE) {
            throw new IllegalArgumentException("handshake packet must be " + PACKET_SIZE + " bytes, got " + packet.length);
        }
    }

    private static byte[] withSuffix(String text) {
        byte[] head = text.getBytes(StandardCharsets.US_ASCII);
        byte[] key = new byte[head.length + KEY_SUFFIX.length];
        System.arraycopy(head, 0, key, 0, head.length);
        System.arraycopy(KEY_SUFFIX, 0, key, head.length, KEY_SUFFIX.length);
        return key;
    }
}
