package io.sluice.relay;

import io.sluice.engine.relay.FilePublisher;
import io.sluice.engine.relay.PullRelays;
import io.sluice.engine.relay.RelayStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** What the restream, pull relay and file publish APIs take and return. */
public final class RelayDtos {
    static final int MAX_PEM = 16000;

    private RelayDtos() {
    }

    @Schema(description = "A restream target: where the key's live stream is pushed")
    public record TargetRequest(
            @Schema(example = "YouTube") @NotBlank @Size(max = 100) String name,
            @Schema(description = "The server URL (rtmp:// or rtmps://host[:port]/app); with streamKey empty, the "
                    + "whole URL including the stream name", example = "rtmp://a.rtmp.youtube.com/live2")
            @NotBlank @Size(max = 1000) String url,
            @Schema(description = "The stream key at the destination; on update, null keeps the current one")
            @Size(max = 500) String streamKey,
            @Schema(defaultValue = "true") Boolean enabled,
            @Schema(description = "rtmps://: verify the certificate and host name", defaultValue = "true")
            Boolean tlsVerify,
            @Schema(description = "rtmps://: a PEM certificate to trust instead of the public CAs (self-signed)")
            @Size(max = MAX_PEM) String trustedCertificate) {
    }

    @Schema(description = "A restream target with its live state")
    public record TargetView(long id, long keyId, String name, String url,
                             @Schema(description = "The first characters of the destination's stream key")
                             String streamKeyHint,
                             boolean enabled, boolean tlsVerify, boolean trustedCertificate, Instant createdAt,
                             Instant updatedAt, RelayView status) {
    }

    @Schema(description = "A push or pull right now")
    public record RelayView(
            @Schema(description = "CONNECTING, LIVE, RETRYING or STOPPED") RelayStatus.State state,
            Instant since,
            @Schema(description = "Why the last connection failed or ended") String lastError,
            @Schema(description = "When RETRYING: the next attempt") Instant nextAttemptAt,
            @Schema(description = "Media bytes sent (push) or received (pull)") long bytes,
            int reconnects,
            @Schema(description = "Push: how far the target is behind the source, ms of stream time") long lagMillis,
            @Schema(description = "Push: packets skipped because the target was too slow") long droppedPackets) {

        static final RelayView IDLE = new RelayView(RelayStatus.State.STOPPED, null, null, null, 0, 0, 0, 0);

        static RelayView of(RelayStatus s) {
            return s == null ? IDLE : new RelayView(s.state(), s.since(), s.lastError(), s.nextAttemptAt(), s.bytes(),
                    s.reconnects(), s.lagMillis(), s.droppedPackets());
        }
    }

    @Schema(description = "A pull relay declared in sluice.relays.pulls")
    public record PullView(String app, String name, @Schema(description = "The remote URL, stream name masked")
                           String url, PullRelays.Mode mode, long idleTimeoutSeconds, boolean running,
                           RelayView status) {
    }

    @Schema(description = "Publish a server-side FLV file as a live stream")
    public record FilePublishRequest(
            @Schema(description = "The file, relative to the data directory (sluice.data-dir)", example = "media/loop.flv")
            @NotBlank @Size(max = 1000) String path,
            @Schema(description = "Start over at the end, forever", defaultValue = "false") Boolean loop) {
    }

    @Schema(description = "A file publish")
    public record FilePublishView(String app, String name, String path, boolean loop, FilePublisher.State state,
                                  Instant startedAt, @Schema(description = "Stream time sent, ms") long mediaMillis,
                                  int loops, long bytes, String error) {
    }
}
