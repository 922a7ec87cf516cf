package io.sluice.streamkey;

import io.sluice.engine.RtmpServer;
import io.sluice.streamkey.StreamKeyDtos.CreateKeyRequest;
import io.sluice.streamkey.StreamKeyDtos.IssuedPlayToken;
import io.sluice.streamkey.StreamKeyDtos.IssuedSecret;
import io.sluice.streamkey.StreamKeyDtos.KeyPage;
import io.sluice.streamkey.StreamKeyDtos.KeyView;
import io.sluice.streamkey.StreamKeyDtos.KeyWithSecret;
import io.sluice.streamkey.StreamKeyDtos.ObsSettings;
import io.sluice.streamkey.StreamKeyDtos.PlayTokenRequest;
import io.sluice.streamkey.StreamKeyDtos.PlayTokenView;
import io.sluice.streamkey.StreamKeyDtos.RotateRequest;
import io.sluice.streamkey.StreamKeyDtos.UpdateKeyRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Stream keys", description = "Publish with a secret key, stream under a public name; play tokens")
@RestController
@RequestMapping("/api/keys")
@PreAuthorize("hasAuthority('SCOPE_keys')")
class StreamKeyController {
    private static final int DEFAULT_RTMP_PORT = 1935;

    private final StreamKeyService keys;
    private final RtmpServer rtmp;

    StreamKeyController(StreamKeyService keys, RtmpServer rtmp) {
        this.keys = keys;
        this.rtmp = rtmp;
    }

    @Operation(summary = "Create a stream key", description = "Returns the secret and the OBS settings: the "
            + "only time the secret is shown.")
    @PostMapping
    ResponseEntity<KeyWithSecret> create(@Valid @RequestBody CreateKeyRequest body, HttpServletRequest request) {
        IssuedSecret issued = keys.create(body);
        return ResponseEntity.created(URI.create("/api/keys/" + issued.key().id()))
                .body(withSecret(issued, request));
    }

    @Operation(summary = "List stream keys", description = "Newest first; filters combine.")
    @GetMapping
    KeyPage list(@Parameter(description = "label contains (case-insensitive)") @RequestParam(required = false) String label,
                 @Parameter(description = "application") @RequestParam(required = false) String app,
                 @RequestParam(required = false) Boolean enabled,
                 @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
                 @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return keys.list(label, app, enabled, page, size);
    }

    @Operation(summary = "One stream key")
    @GetMapping("/{id}")
    KeyView get(@PathVariable long id) {
        return keys.get(id);
    }

    @Operation(summary = "Change a stream key", description = "Replaces label, enabled, validity window, "
            + "autoRecord and maxPublishers; publicName is kept when not given.")
    @PutMapping("/{id}")
    KeyView update(@PathVariable long id, @Valid @RequestBody UpdateKeyRequest body) {
        return keys.update(id, body);
    }

    @Operation(summary = "Enable a stream key")
    @PostMapping("/{id}/enable")
    KeyView enable(@PathVariable long id) {
        return keys.setEnabled(id, true);
    }

    @Operation(summary = "Disable a stream key", description = "A live publish with it ends within seconds.")
    @PostMapping("/{id}/disable")
    KeyView disable(@PathVariable long id) {
        return keys.setEnabled(id, false);
    }

    @Operation(summary = "Give a stream key a new secret", description = "During graceSeconds the old secret "
            + "still works; after it a live publish with the old secret ends. Returns the new secret.")
    @PostMapping("/{id}/rotate")
    KeyWithSecret rotate(@PathVariable long id, @Valid @RequestBody(required = false) RotateRequest body,
                         HttpServletRequest request) {
        long grace = body == null || body.graceSeconds() == null ? 0 : body.graceSeconds();
        return withSecret(keys.rotate(id, Duration.ofSeconds(grace)), request);
    }

    @Operation(summary = "Delete a stream key", description = "A live publish with it ends within seconds.")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable long id) {
        keys.delete(id);
    }

    @Operation(summary = "Issue a play token", description = "For apps whose play policy is TOKEN: players add "
            + "?token=... to the stream's public name. Stateless: valid until it expires.")
    @PostMapping("/{id}/play-token")
    PlayTokenView playToken(@PathVariable long id, @Valid @RequestBody(required = false) PlayTokenRequest body,
                            HttpServletRequest request) {
        long ttl = body == null || body.ttlSeconds() == null ? 3600 : body.ttlSeconds();
        IssuedPlayToken token = keys.issuePlayToken(id, Duration.ofSeconds(ttl));
        return new PlayTokenView(token.token(), token.expiresAt(), serverUrl(request, token.app()) + "/"
                + token.publicName() + "?token=" + URLEncoder.encode(token.token(), StandardCharsets.UTF_8));
    }

    private KeyWithSecret withSecret(IssuedSecret issued, HttpServletRequest request) {
        String serverUrl = serverUrl(request, issued.key().app());
        return new KeyWithSecret(issued.key(), issued.secret(), new ObsSettings(serverUrl, issued.secret()),
                serverUrl + "/" + issued.secret());
    }

    /** rtmp://host[:port]/app: the host the client reached us by (Host header), the RTMP port unless 1935. */
    private String serverUrl(HttpServletRequest request, String app) {
        String host = request.getServerName();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]"; // an IPv6 literal
        }
        int port = rtmp.port() > 0 ? rtmp.port() : rtmp.config() != null ? rtmp.config().port() : DEFAULT_RTMP_PORT;
        return "rtmp://" + host + (port == DEFAULT_RTMP_PORT || port <= 0 ? "" : ":" + port) + "/" + app;
    }
}
