package io.sluice.streamkey;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** What the stream key API takes and returns. The secret appears only in {@link KeyWithSecret}. */
public final class StreamKeyDtos {
    /** A stream name as the engine accepts it. */
    static final String NAME_PATTERN = "(?!\\.)[A-Za-z0-9\\-_.~@+=]{1,200}";
    static final String NAME_MESSAGE = "must be 1 to 200 letters, digits or - _ . ~ @ + = and not start with a dot";
    /** An application: one or more name segments separated by '/'. */
    static final String APP_PATTERN = "(?!\\.)[A-Za-z0-9\\-_.~@+=]+(/(?!\\.)[A-Za-z0-9\\-_.~@+=]+)*";
    static final String APP_MESSAGE = "must be names of letters, digits or - _ . ~ @ + = separated by '/', "
            + "none starting with a dot";
    static final String DEFAULT_APP = "live";
    static final int MAX_PUBLISHERS = 1000;
    static final long MAX_GRACE_SECONDS = 7 * 24 * 3600;
    static final long MAX_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

    private StreamKeyDtos() {
    }

    /** Where a key stands now. */
    public enum KeyState { ACTIVE, DISABLED, NOT_YET_VALID, EXPIRED }

    @Schema(description = "A new stream key; only the label is required")
    public record CreateKeyRequest(
            @Schema(example = "Main camera") @NotBlank @Size(max = 100) String label,
            @Schema(description = "RTMP application", defaultValue = DEFAULT_APP)
            @Size(max = 200) @Pattern(regexp = APP_PATTERN, message = APP_MESSAGE) String app,
            @Schema(description = "The name the stream goes by; a slug of the label if not given")
            @Pattern(regexp = NAME_PATTERN, message = NAME_MESSAGE) String publicName,
            @Schema(defaultValue = "true") Boolean enabled,
            @Schema(description = "Publishing allowed from") Instant notBefore,
            @Schema(description = "Publishing allowed until (exclusive); a live publish ends then") Instant notAfter,
            @Schema(defaultValue = "false") Boolean autoRecord,
            @Schema(defaultValue = "1") @Min(1) @Max(MAX_PUBLISHERS) Integer maxPublishers) {
    }

    @Schema(description = "Replaces a key's settings; publicName null keeps it, notBefore/notAfter null remove the bound")
    public record UpdateKeyRequest(
            @NotBlank @Size(max = 100) String label,
            @Pattern(regexp = NAME_PATTERN, message = NAME_MESSAGE) String publicName,
            @NotNull Boolean enabled,
            Instant notBefore,
            Instant notAfter,
            @NotNull Boolean autoRecord,
            @NotNull @Min(1) @Max(MAX_PUBLISHERS) Integer maxPublishers) {
    }

    public record RotateRequest(
            @Schema(description = "How long the old secret keeps working", defaultValue = "0")
            @Min(0) @Max(MAX_GRACE_SECONDS) Long graceSeconds) {
    }

    public record PlayTokenRequest(
            @Schema(description = "How long the token is valid", defaultValue = "3600")
            @Min(1) @Max(MAX_TOKEN_TTL_SECONDS) Long ttlSeconds) {
    }

    @Schema(description = "A stream key without its secret")
    public record KeyView(
            long id,
            String label,
            String app,
            String publicName,
            @Schema(description = "The secret's first characters, for recognising it", example = "q3Zx…")
            String secretPrefix,
            boolean enabled,
            KeyState state,
            Instant notBefore,
            Instant notAfter,
            boolean autoRecord,
            int maxPublishers,
            @Schema(description = "Publishes live with this key now (on this server)") int livePublishers,
            @Schema(description = "After a rotation with a grace period: until when the old secret works")
            Instant previousSecretValidUntil,
            Instant createdAt,
            Instant updatedAt,
            Instant lastUsedAt,
            String lastUsedAddress) {
    }

    public record KeyPage(List<KeyView> items, int page, int size, long totalItems, int totalPages) {
    }

    /** What the service returns on create and rotate: the key and its new secret (shown this once). */
    public record IssuedSecret(KeyView key, String secret) {
    }

    @Schema(description = "OBS: Settings → Stream → Service Custom…")
    public record ObsSettings(@Schema(example = "rtmp://media.example.com/live") String serverUrl,
                              String streamKey) {
    }

    @Schema(description = "The key with its secret: shown only in this response, store it now")
    public record KeyWithSecret(KeyView key, String secret, ObsSettings obs,
                                @Schema(description = "For ffmpeg and others: server URL and key in one")
                                String publishUrl) {
    }

    public record IssuedPlayToken(String token, Instant expiresAt, String app, String publicName) {
    }

    public record PlayTokenView(String token, Instant expiresAt,
                                @Schema(example = "rtmp://media.example.com/live/main-camera?token=...")
                                String playUrl) {
    }
}
