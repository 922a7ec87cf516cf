package io.sluice.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** An integrator's bearer token; only its SHA-256 hash is stored. */
@Entity
@Table(name = "api_token")
class ApiToken {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String name;

    @Column(name = "token_hash", nullable = false, unique = true)
    private String tokenHash;

    @Column(name = "token_prefix", nullable = false)
    private String tokenPrefix;

    @Column(nullable = false)
    private String scopes;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    @Column(nullable = false)
    private boolean revoked;

    protected ApiToken() {
    }

    ApiToken(String name, String tokenHash, String tokenPrefix, List<Scope> scopes) {
        this.name = name;
        this.tokenHash = tokenHash;
        this.tokenPrefix = tokenPrefix;
        this.scopes = String.join(" ", scopes.stream().map(Scope::value).toList());
        this.createdAt = Instant.now();
    }

    Long id() {
        return id;
    }

    String name() {
        return name;
    }

    String tokenHash() {
        return tokenHash;
    }

    String tokenPrefix() {
        return tokenPrefix;
    }

    List<Scope> scopes() {
        return scopes.isBlank() ? List.of() : Arrays.stream(scopes.split(" ")).map(Scope::of).toList();
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant lastUsedAt() {
        return lastUsedAt;
    }

    boolean revoked() {
        return revoked;
    }

    void markUsed(Instant when) {
        this.lastUsedAt = when;
    }

    void revoke() {
        this.revoked = true;
    }
}
