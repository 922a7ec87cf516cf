package io.sluice.live;

import io.sluice.engine.RtmpServer;
import io.sluice.engine.spi.SessionInfo;
import io.sluice.engine.stream.StreamSnapshot;
import io.sluice.live.LiveDtos.KickResult;
import io.sluice.live.LiveDtos.SessionView;
import io.sluice.live.LiveDtos.StreamDetail;
import io.sluice.live.LiveDtos.StreamView;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

/** Live streams and sessions as the API shows them; kicking and banning. */
@Service
class LiveService {
    private final RtmpServer server;
    private final TrafficSampler traffic;
    private final Bans bans;
    private final ObjectProvider<KeyDisabler> keyDisabler;

    LiveService(RtmpServer server, TrafficSampler traffic, Bans bans, ObjectProvider<KeyDisabler> keyDisabler) {
        this.server = server;
        this.traffic = traffic;
        this.bans = bans;
        this.keyDisabler = keyDisabler;
    }

    List<StreamView> streams() {
        List<SessionInfo> sessions = server.sessions();
        return server.streamSnapshots().stream()
                .sorted(Comparator.comparing(StreamSnapshot::app).thenComparing(StreamSnapshot::name))
                .map(s -> view(s, sessions)).toList();
    }

    StreamDetail stream(String app, String name) {
        List<SessionInfo> sessions = server.sessions();
        StreamSnapshot snapshot = find(app, name);
        SessionView publisher = sessions.stream().filter(s -> s.id() == snapshot.publisherSessionId())
                .findFirst().map(this::view).orElse(null);
        List<SessionView> players = playersOf(app, name, sessions).stream().map(this::view).toList();
        return new StreamDetail(view(snapshot, sessions), publisher, players);
    }

    List<SessionView> sessions() {
        return server.sessions().stream().sorted(Comparator.comparingLong(SessionInfo::id)).map(this::view).toList();
    }

    void kickSession(long id) {
        if (!server.kick(id, "kicked over the API")) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No session with id " + id + ".");
        }
    }

    KickResult kickStream(String app, String name, boolean players, Long banSeconds, boolean disableKey) {
        StreamSnapshot snapshot = find(app, name);
        if (banSeconds != null && banSeconds > 0) {
            bans.ban(app, name, Duration.ofSeconds(banSeconds));
        }
        boolean disabled = false;
        if (disableKey) {
            KeyDisabler disabler = keyDisabler.getIfAvailable();
            disabled = disabler != null && disabler.disableKeyOf(app, name);
        }
        Long publisher = snapshot.live() ? snapshot.publisherSessionId() : null;
        if (publisher != null) {
            server.kick(publisher, "kicked over the API");
        }
        int kickedPlayers = 0;
        if (players) {
            for (SessionInfo player : playersOf(app, name, server.sessions())) {
                server.kick(player.id(), "kicked over the API with its stream");
                kickedPlayers++;
            }
        }
        return new KickResult(app + "/" + name, publisher, kickedPlayers, banSeconds, disabled);
    }

    private StreamSnapshot find(String app, String name) {
        return server.streamSnapshots().stream().filter(s -> s.app().equals(app) && s.name().equals(name))
                .findFirst().orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "No live stream " + app + "/" + name + "."));
    }

    private static List<SessionInfo> playersOf(String app, String name, List<SessionInfo> sessions) {
        return sessions.stream().filter(s -> s.role() == SessionInfo.Role.PLAYER && app.equals(s.app())
                && name.equals(s.streamName())).toList();
    }

    private StreamView view(StreamSnapshot s, List<SessionInfo> sessions) {
        List<SessionInfo> players = playersOf(s.app(), s.name(), sessions);
        long bitrateOut = players.stream().mapToLong(p -> traffic.rate(p.id()).bitsOutPerSecond()).sum();
        long uptime = s.publishedAt() == null || !s.live() ? 0
                : Duration.between(s.publishedAt(), Instant.now()).toSeconds();
        return new StreamView(s.app(), s.name(), s.live(), s.label(), s.live() ? s.publisherSessionId() : null,
                s.videoCodec(), s.audioCodec(), s.width(), s.height(), Math.round(s.frameRate() * 100) / 100.0,
                s.bitrateIn(), bitrateOut, s.bytesIn(), uptime, s.publishedAt(), players.size());
    }

    private SessionView view(SessionInfo s) {
        TrafficSampler.Rate rate = traffic.rate(s.id());
        String address = s.remoteAddress() == null ? "" : Objects.toString(s.remoteAddress().getAddress() == null
                ? s.remoteAddress().getHostString() : s.remoteAddress().getAddress().getHostAddress());
        return new SessionView(s.id(), address, s.role().name(), s.app(), s.streamName(), s.connectedAt(),
                s.bytesIn(), s.bytesOut(), rate.bitsInPerSecond(), rate.bitsOutPerSecond(), s.flashVer(), s.tcUrl());
    }
}
