package io.sluice.relay;

import io.sluice.relay.RelayDtos.TargetRequest;
import io.sluice.relay.RelayDtos.TargetView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Restream targets", description = "Push a stream key's live stream to other RTMP(S) servers")
@RestController
@RequestMapping("/api/keys/{keyId}/targets")
@PreAuthorize("hasAuthority('SCOPE_keys')")
class RestreamController {
    private final RestreamService restream;

    RestreamController(RestreamService restream) {
        this.restream = restream;
    }

    @Operation(summary = "The key's restream targets with their live state",
            description = "state: CONNECTING, LIVE, RETRYING (with lastError and nextAttemptAt) or STOPPED; bytes "
                    + "sent, reconnects, lag behind the source and packets dropped because the target was slow.")
    @GetMapping
    List<TargetView> list(@PathVariable long keyId) {
        return restream.list(keyId);
    }

    @Operation(summary = "One restream target")
    @GetMapping("/{targetId}")
    TargetView get(@PathVariable long keyId, @PathVariable long targetId) {
        return restream.get(keyId, targetId);
    }

    @Operation(summary = "Add a restream target", description = "Pushed whenever the key's publisher is live "
            + "(at once if it is live now).")
    @PostMapping
    ResponseEntity<TargetView> create(@PathVariable long keyId, @Valid @RequestBody TargetRequest body) {
        TargetView created = restream.create(keyId, body);
        return ResponseEntity.created(URI.create("/api/keys/" + keyId + "/targets/" + created.id())).body(created);
    }

    @Operation(summary = "Change a restream target", description = "Replaces its settings (streamKey null keeps "
            + "the current one); a live push restarts with them.")
    @PutMapping("/{targetId}")
    TargetView update(@PathVariable long keyId, @PathVariable long targetId, @Valid @RequestBody TargetRequest body) {
        return restream.update(keyId, targetId, body);
    }

    @Operation(summary = "Remove a restream target", description = "A live push to it stops.")
    @DeleteMapping("/{targetId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable long keyId, @PathVariable long targetId) {
        restream.delete(keyId, targetId);
    }
}
