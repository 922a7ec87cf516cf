package io.sluice.security;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

/** Creates, lists, revokes and authenticates API tokens; stores only their hashes. */
@Service
public class ApiTokens {
    static final String PREFIX = "slc_";

    private final ApiTokenRepository tokens;

    ApiTokens(ApiTokenRepository tokens) {
        this.tokens = tokens;
    }

    public record Created(long id, String name, String token, List<String> scopes) {
    }

    @Transactional
    public Created create(String name, List<Scope> scopes) {
        String token = PREFIX + Secrets.random(32);
        ApiToken saved = tokens.save(new ApiToken(name, Secrets.sha256Hex(token), token.substring(0, 8), scopes));
        return new Created(saved.id(), name, token, scopes.stream().map(Scope::value).toList());
    }

    @Transactional(readOnly = true)
    List<ApiToken> list() {
        return tokens.findAllByOrderByCreatedAtDesc();
    }

    @Transactional
    public void revoke(long id) {
        ApiToken token = tokens.findById(id).orElseThrow(() ->
                new ResponseStatusException(HttpStatus.NOT_FOUND, "No API token with id " + id + "."));
        token.revoke();
    }

    /** The scopes of a valid (known, not revoked) token; lookup by hash, so timing reveals nothing. */
    @Transactional
    public Optional<List<Scope>> authenticate(String presented) {
        if (presented == null || !presented.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return tokens.findByTokenHash(Secrets.sha256Hex(presented)).filter(t -> !t.revoked()).map(t -> {
            t.markUsed(Instant.now());
            return t.scopes();
        });
    }
}
