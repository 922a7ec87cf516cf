package io.sluice.security;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "API tokens", description = "Bearer tokens for integrators, with scopes")
@RestController
@RequestMapping("/api/tokens")
@PreAuthorize("hasAuthority('SCOPE_admin')")
class TokenController {
    private final ApiTokens tokens;

    TokenController(ApiTokens tokens) {
        this.tokens = tokens;
    }

    record CreateTokenRequest(@NotBlank @Size(max = 100) String name,
                              @NotEmpty List<@NotBlank String> scopes) {
    }

    record TokenView(long id, String name, String prefix, List<String> scopes, Instant createdAt, Instant lastUsedAt,
                     boolean revoked) {
    }

    @Operation(summary = "Create a token", description = "The token is in this response only; it is stored hashed.")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ApiTokens.Created create(@Valid @RequestBody CreateTokenRequest request) {
        List<Scope> scopes;
        try {
            scopes = request.scopes().stream().map(Scope::of).distinct().toList();
        } catch (IllegalArgumentException e) {
            throw new org.springframework.web.server.ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        return tokens.create(request.name(), scopes);
    }

    @Operation(summary = "List tokens (without their secrets)")
    @GetMapping
    List<TokenView> list() {
        return tokens.list().stream().map(t -> new TokenView(t.id(), t.name(), t.tokenPrefix() + "…",
                t.scopes().stream().map(Scope::value).toList(), t.createdAt(), t.lastUsedAt(), t.revoked())).toList();
    }

    @Operation(summary = "Revoke a token")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable long id) {
        tokens.revoke(id);
    }
}
