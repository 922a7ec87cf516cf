package io.sluice.relay;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * Where a stream key's live stream is pushed: an RTMP(S) server URL and the stream key there (a
 * secret of the destination: stored as given, never returned whole by the API).
 */
@Entity
@Table(name = "restream_target")
class RestreamTarget {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "stream_key_id", nullable = false)
    private long streamKeyId;

    @Column(nullable = false, length = 100)
    private String name;

    @Column(nullable = false, length = 1000)
    private String url;

    @Column(name = "target_key", length = 500)
    private String targetKey;

    @Column(nullable = false)
    private boolean enabled;

    @Column(name = "tls_verify", nullable = false)
    private boolean tlsVerify;

    @Column(name = "trusted_certificate", length = 16000)
    private String trustedCertificate;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected RestreamTarget() {
    }

    RestreamTarget(long streamKeyId, Instant now) {
        this.streamKeyId = streamKeyId;
        this.createdAt = now;
        this.updatedAt = now;
    }

    void update(String name, String url, String targetKey, boolean enabled, boolean tlsVerify,
                String trustedCertificate, Instant now) {
        this.name = name;
        this.url = url;
        this.targetKey = targetKey;
        this.enabled = enabled;
        this.tlsVerify = tlsVerify;
        this.trustedCertificate = trustedCertificate;
        this.updatedAt = now;
    }

    /** The URL to publish to: the server URL, then the stream key as the last path segment. */
    String publishUrl() {
        return publishUrl(url, targetKey);
    }

    static String publishUrl(String url, String targetKey) {
        if (targetKey == null || targetKey.isEmpty()) {
            return url;
        }
        return (url.endsWith("/") ? url : url + "/") + targetKey;
    }

    Long getId() {
        return id;
    }

    long getStreamKeyId() {
        return streamKeyId;
    }

    String getName() {
        return name;
    }

    String getUrl() {
        return url;
    }

    String getTargetKey() {
        return targetKey;
    }

    boolean isEnabled() {
        return enabled;
    }

    boolean isTlsVerify() {
        return tlsVerify;
    }

    String getTrustedCertificate() {
        return trustedCertificate;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getUpdatedAt() {
        return updatedAt;
    }
}
