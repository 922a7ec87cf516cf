package io.sluice.streamkey;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.streamkey.PlayTokens.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PlayTokensTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final PlayTokens tokens = new PlayTokens(() -> KEY);
    private final Instant now = Instant.parse("2025-06-01T12:00:00Z");
    private final Instant expiry = now.plusSeconds(3600);

    @Test
    void aTokenIsValidForItsStreamUntilItExpires() {
        String token = tokens.issue("live", "main", expiry);
        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(tokens.verify("live", "main", token, now)).isEqualTo(Verdict.VALID);
        assertThat(tokens.verify("live", "main", token, expiry.minusSeconds(1))).isEqualTo(Verdict.VALID);
        assertThat(tokens.verify("live", "main", token, expiry)).isEqualTo(Verdict.EXPIRED);
        assertThat(tokens.verify("live", "main", token, expiry.plusSeconds(86400))).isEqualTo(Verdict.EXPIRED);
    }

    @Test
    void theFormatIsExpiryDotHmacInBase64Url() throws Exception {
        String token = tokens.issue("live", "main", expiry);
        byte[] raw = Base64.getUrlDecoder().decode(token);
        String expiryText = String.valueOf(expiry.getEpochSecond());
        assertThat(new String(raw, 0, expiryText.length() + 1, StandardCharsets.US_ASCII)).isEqualTo(expiryText + ".");
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(KEY, "HmacSHA256"));
        byte[] expected = mac.doFinal(("live/main/" + expiryText).getBytes(StandardCharsets.UTF_8));
        assertThat(java.util.Arrays.copyOfRange(raw, expiryText.length() + 1, raw.length)).isEqualTo(expected);
    }

    @Test
    void aTokenIsBoundToItsAppAndStream() {
        String token = tokens.issue("live", "main", expiry);
        assertThat(tokens.verify("live", "other", token, now)).isEqualTo(Verdict.INVALID);
        assertThat(tokens.verify("studio", "main", token, now)).isEqualTo(Verdict.INVALID);
    }

    @Test
    void aTamperedTokenIsInvalid() {
        String token = tokens.issue("live", "main", expiry);
        byte[] raw = Base64.getUrlDecoder().decode(token);
        // a later expiry with the old HMAC
        String later = String.valueOf(expiry.getEpochSecond() + 86400);
        byte[] moved = (later + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] forged = java.util.Arrays.copyOf(moved, moved.length + 32);
        System.arraycopy(raw, raw.length - 32, forged, moved.length, 32);
        assertThat(tokens.verify("live", "main", b64(forged), now)).isEqualTo(Verdict.INVALID);
        // one bit of the HMAC flipped
        byte[] flipped = raw.clone();
        flipped[flipped.length - 1] ^= 1;
        assertThat(tokens.verify("live", "main", b64(flipped), now)).isEqualTo(Verdict.INVALID);
        // a token of another server
        String foreign = new PlayTokens(() -> "another-server-key-another-server".getBytes(StandardCharsets.US_ASCII))
                .issue("live", "main", expiry);
        assertThat(tokens.verify("live", "main", foreign, now)).isEqualTo(Verdict.INVALID);
    }

    @Test
    void malformedAndMissingTokensAreRefused() {
        assertThat(tokens.verify("live", "main", null, now)).isEqualTo(Verdict.MISSING);
        assertThat(tokens.verify("live", "main", "", now)).isEqualTo(Verdict.MISSING);
        assertThat(tokens.verify("live", "main", "not base64 !", now)).isEqualTo(Verdict.MALFORMED);
        assertThat(tokens.verify("live", "main", b64("123.short".getBytes(StandardCharsets.US_ASCII)), now))
                .isEqualTo(Verdict.MALFORMED);
        assertThat(tokens.verify("live", "main", b64(("-5." + "x".repeat(32)).getBytes(StandardCharsets.US_ASCII)), now))
                .isEqualTo(Verdict.MALFORMED);
        assertThat(tokens.verify("live", "main", "A".repeat(1000), now)).isEqualTo(Verdict.MALFORMED);
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
