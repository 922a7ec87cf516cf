package io.sluice.streamkey;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A stream key: publishing to {@code app} with the secret makes the stream appear as {@code app/publicName}.
 * Only the secret's SHA-256 hash is stored. After a rotation with a grace period the previous secret's
 * hash is kept until {@code previousSecretExpiresAt}.
 */
@Entity
@Table(name = "stream_key")
class StreamKey {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 100)
    private String label;

    @Column(nullable = false, length = 200)
    private String app;

    @Column(name = "public_name", nullable = false, length = 200)
    private String publicName;

    @Column(name = "secret_hash", nullable = false, length = 64)
    private String secretHash;

    @Column(name = "secret_prefix", nullable = false, length = 16)
    private String secretPrefix;

    @Column(name = "previous_secret_hash", length = 64)
    private String previousSecretHash;

    @Column(name = "previous_secret_expires_at")
    private Instant previousSecretExpiresAt;

    @Column(nullable = false)
    private boolean enabled;

    @Column(name = "not_before")
    private Instant notBefore;

    @Column(name = "not_after")
    private Instant notAfter;

    @Column(name = "auto_record", nullable = false)
    private boolean autoRecord;

    @Column(name = "max_publishers", nullable = false)
    private int maxPublishers;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    @Column(name = "last_used_address", length = 64)
    private String lastUsedAddress;

    protected StreamKey() {
    }

    StreamKey(String label, String app, String publicName, String secretHash, String secretPrefix, Instant now) {
        this.label = label;
        this.app = app;
        this.publicName = publicName;
        this.secretHash = secretHash;
        this.secretPrefix = secretPrefix;
        this.enabled = true;
        this.maxPublishers = 1;
        this.createdAt = now;
        this.updatedAt = now;
    }

    // ---- rules ----------------------------------------------------------------------------------

    /** Why the key does not allow publishing at {@code now} (disabled, outside its window), or null. */
    String refusal(Instant now) {
        if (!enabled) {
            return "Stream key is disabled.";
        }
        if (notBefore != null && now.isBefore(notBefore)) {
            return "Stream key is not valid until " + notBefore + ".";
        }
        if (notAfter != null && !now.isBefore(notAfter)) {
            return "Stream key is not valid after " + notAfter + ".";
        }
        return null;
    }

    /** True if a publish that used the secret with this hash may go on at {@code now}. */
    boolean acceptsSecretHash(String hash, Instant now) {
        return hash.equals(secretHash) || hash.equals(previousSecretHash) && previousSecretValidAt(now);
    }

    boolean previousSecretValidAt(Instant now) {
        return previousSecretHash != null && previousSecretExpiresAt != null && now.isBefore(previousSecretExpiresAt);
    }

    /** Replaces the secret; the old one keeps working until {@code graceUntil} (null: not at all). */
    void rotate(String newHash, String newPrefix, Instant graceUntil, Instant now) {
        if (graceUntil != null && graceUntil.isAfter(now)) {
            previousSecretHash = secretHash;
            previousSecretExpiresAt = graceUntil;
        } else {
            previousSecretHash = null;
            previousSecretExpiresAt = null;
        }
        secretHash = newHash;
        secretPrefix = newPrefix;
        updatedAt = now;
    }

    void update(String label, String publicName, boolean enabled, Instant notBefore, Instant notAfter,
                boolean autoRecord, int maxPublishers, Instant now) {
        this.label = label;
        this.publicName = publicName;
        this.enabled = enabled;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        this.autoRecord = autoRecord;
        this.maxPublishers = maxPublishers;
        this.updatedAt = now;
    }

    void setEnabled(boolean enabled, Instant now) {
        if (this.enabled != enabled) {
            this.enabled = enabled;
            this.updatedAt = now;
        }
    }

    // ---- accessors ------------------------------------------------------------------------------

    Long getId() {
        return id;
    }

    String getLabel() {
        return label;
    }

    String getApp() {
        return app;
    }

    String getPublicName() {
        return publicName;
    }

    String getSecretHash() {
        return secretHash;
    }

    String getSecretPrefix() {
        return secretPrefix;
    }

    String getPreviousSecretHash() {
        return previousSecretHash;
    }

    Instant getPreviousSecretExpiresAt() {
        return previousSecretExpiresAt;
    }

    boolean isEnabled() {
        return enabled;
    }

    Instant getNotBefore() {
        return notBefore;
    }

    Instant getNotAfter() {
        return notAfter;
    }

    boolean isAutoRecord() {
        return autoRecord;
    }

    int getMaxPublishers() {
        return maxPublishers;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getUpdatedAt() {
        return updatedAt;
    }

    Instant getLastUsedAt() {
        return lastUsedAt;
    }

    String getLastUsedAddress() {
        return lastUsedAddress;
    }
}
