package io.sluice.streamkey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** Stream key secrets: generation, hashing, constant-time comparison, masking; and name slugs. */
final class KeySecrets {
    /** 24 random bytes: 192 bits, 32 URL-safe characters (all valid in a stream name). */
    static final int SECRET_BYTES = 24;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern NON_SLUG = Pattern.compile("[^a-z0-9]+");
    private static final int MAX_SLUG = 64;

    private KeySecrets() {
    }

    static String newSecret() {
        return random(SECRET_BYTES);
    }

    /** {@code bytes} random bytes as base64url without padding. */
    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The SHA-256 of a secret as lower-case hex: what the database keeps and looks up. */
    static String hash(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }

    /** Compares two hex hashes in constant time (for equal lengths). */
    static boolean sameHash(String storedHex, String candidateHex) {
        if (storedHex == null || candidateHex == null) {
            return false;
        }
        return MessageDigest.isEqual(storedHex.getBytes(StandardCharsets.US_ASCII),
                candidateHex.getBytes(StandardCharsets.US_ASCII));
    }

    /** The non-secret prefix shown in listings: the first 4 characters and an ellipsis. */
    static String displayPrefix(String secret) {
        return secret.substring(0, Math.min(4, secret.length())) + "…";
    }

    /**
     * Something a client sent as a key, masked for logs: at most 4 characters and never more than a
     * quarter of it (a short guessed name is not shown whole).
     */
    static String mask(String candidate) {
        if (candidate == null || candidate.isEmpty()) {
            return "(empty)";
        }
        return candidate.substring(0, Math.min(4, candidate.length() / 4)) + "…";
    }

    /** A stream name from a label: lower-case ASCII letters and digits joined by '-'; "stream" if nothing is left. */
    static String slug(String label) {
        String ascii = Normalizer.normalize(label == null ? "" : label, Normalizer.Form.NFKD)
                .replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
        String slug = NON_SLUG.matcher(ascii).replaceAll("-");
        slug = trimDashes(slug);
        if (slug.length() > MAX_SLUG) {
            slug = trimDashes(slug.substring(0, MAX_SLUG));
        }
        return slug.isEmpty() ? "stream" : slug;
    }

    private static String trimDashes(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '-') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '-') {
            to--;
        }
        return s.substring(from, to);
    }
}
