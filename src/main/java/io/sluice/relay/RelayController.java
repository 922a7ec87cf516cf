package io.sluice.relay;

import io.sluice.relay.RelayDtos.PullView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Pull relays", description = "Streams pulled from other RTMP(S) servers (declared in sluice.relays.pulls)")
@RestController
@RequestMapping("/api/relays")
@PreAuthorize("hasAuthority('SCOPE_admin')")
class RelayController {
    private final PullRelayService pulls;

    RelayController(PullRelayService pulls) {
        this.pulls = pulls;
    }

    @Operation(summary = "The declared pulls with their live state",
            description = "state: CONNECTING, LIVE, RETRYING (with lastError and nextAttemptAt) or STOPPED (an "
                    + "on-demand pull nobody watches).")
    @GetMapping
    List<PullView> list() {
        return pulls.list();
    }
}
