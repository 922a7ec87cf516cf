package io.sluice.streamkey;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A server-side secret created on first use, e.g. the HMAC key of play tokens. */
@Entity
@Table(name = "stream_key_server_secret")
class ServerSecret {

    @Id
    @Column(length = 64)
    private String name;

    @Column(nullable = false, length = 128)
    private String secret;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected ServerSecret() {
    }

    ServerSecret(String name, String secret, Instant createdAt) {
        this.name = name;
        this.secret = secret;
        this.createdAt = createdAt;
    }

    String getName() {
        return name;
    }

    String getSecret() {
        return secret;
    }

    Instant getCreatedAt() {
        return createdAt;
    }
}
