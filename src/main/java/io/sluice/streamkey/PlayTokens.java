package io.sluice.streamkey;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Stateless play tokens: {@code base64url(expiry + "." + HMAC-SHA256(serverKey, app + "/" + name + "/" + expiry))},
 * the expiry in epoch seconds and the HMAC as its 32 raw bytes. A token lets its holder play one
 * stream ({@code app/publicName}) until it expires; nothing is stored per token.
 */
@Component
class PlayTokens {
    private static final String HMAC = "HmacSHA256";
    private static final int MAC_BYTES = 32;
    private static final int MAX_TOKEN_CHARS = 128;

    /** The outcome of checking a token. */
    enum Verdict {
        VALID(""), MISSING("A play token is required (?token=...)."), MALFORMED("The play token is malformed."),
        INVALID("The play token is not valid for this stream."), EXPIRED("The play token has expired.");

        private final String description;

        Verdict(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }
    }

    private final Supplier<byte[]> key;

    @Autowired
    PlayTokens(ServerSecrets secrets) {
        this(secrets::playTokenKey);
    }

    PlayTokens(Supplier<byte[]> key) {
        this.key = key;
    }

    String issue(String app, String publicName, Instant expiresAt) {
        long expiry = expiresAt.getEpochSecond();
        byte[] prefix = (expiry + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] mac = mac(app, publicName, expiry);
        byte[] token = Arrays.copyOf(prefix, prefix.length + mac.length);
        System.arraycopy(mac, 0, token, prefix.length, mac.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    Verdict verify(String app, String publicName, String token, Instant now) {
        if (token == null || token.isEmpty()) {
            return Verdict.MISSING;
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            return Verdict.MALFORMED;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return Verdict.MALFORMED;
        }
        int dot = -1;
        for (int i = 0; i < raw.length && i < 20; i++) {
            if (raw[i] == '.') {
                dot = i;
                break;
            }
        }
        if (dot < 1 || raw.length - dot - 1 != MAC_BYTES) {
            return Verdict.MALFORMED;
        }
        long expiry;
        try {
            String digits = new String(raw, 0, dot, StandardCharsets.US_ASCII);
            if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Verdict.MALFORMED;
            }
            expiry = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Verdict.MALFORMED;
        }
        byte[] given = Arrays.copyOfRange(raw, dot + 1, raw.length);
        if (!MessageDigest.isEqual(mac(app, publicName, expiry), given)) {
            return Verdict.INVALID;
        }
        return now.getEpochSecond() < expiry ? Verdict.VALID : Verdict.EXPIRED;
    }

    private byte[] mac(String app, String publicName, long expiry) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key.get(), HMAC));
            return mac.doFinal((app + "/" + publicName + "/" + expiry).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
        }
    }
}
