package io.sluice.live;

import io.sluice.live.LiveDtos.KickResult;
import io.sluice.live.LiveDtos.SessionView;
import io.sluice.live.LiveDtos.StreamDetail;
import io.sluice.live.LiveDtos.StreamView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Live", description = "Live streams and connections; kick and ban")
@RestController
@RequestMapping("/api")
class LiveController {
    private final LiveService live;

    LiveController(LiveService live) {
        this.live = live;
    }

    @Operation(summary = "Live streams with their codecs, resolution, fps, bitrate in and out, uptime and players")
    @GetMapping("/streams")
    @PreAuthorize("hasAuthority('SCOPE_streams:read')")
    List<StreamView> streams() {
        return live.streams();
    }

    @Operation(summary = "One live stream with its publisher and players")
    @GetMapping("/streams/{app}/{name}")
    @PreAuthorize("hasAuthority('SCOPE_streams:read')")
    StreamDetail stream(@PathVariable String app, @PathVariable String name) {
        return live.stream(app, name);
    }

    @Operation(summary = "Kick a stream's publisher", description = "Optionally its players too, a ban that "
            + "refuses the encoder's reconnect for some seconds, and disabling its stream key.")
    @DeleteMapping("/streams/{app}/{name}")
    @PreAuthorize("hasAuthority('SCOPE_streams:kick')")
    KickResult kickStream(@PathVariable String app, @PathVariable String name,
                          @Parameter(description = "also disconnect its players")
                          @RequestParam(defaultValue = "false") boolean players,
                          @Parameter(description = "refuse publishing to this stream for this many seconds")
                          @RequestParam(required = false) @Min(1) @Max(31_536_000) Long banSeconds,
                          @Parameter(description = "disable the stream key it was published with")
                          @RequestParam(defaultValue = "false") boolean disableKey) {
        return live.kickStream(app, name, players, banSeconds, disableKey);
    }

    @Operation(summary = "Every connection: publishers, players and connections not yet doing either")
    @GetMapping("/sessions")
    @PreAuthorize("hasAuthority('SCOPE_streams:read')")
    List<SessionView> sessions() {
        return live.sessions();
    }

    @Operation(summary = "Disconnect one session")
    @DeleteMapping("/sessions/{id}")
    @PreAuthorize("hasAuthority('SCOPE_streams:kick')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void kickSession(@PathVariable long id) {
        live.kickSession(id);
    }
}
