package io.sluice.engine.session;

import io.sluice.engine.RtmpServerConfig;
import io.sluice.engine.spi.AccessGate;
import io.sluice.engine.spi.SessionInfo;
import io.sluice.engine.spi.StreamEventListener;
import io.sluice.engine.stream.StreamRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What every session of one server shares: configuration, streams, the SPI and the session table. */
public final class SessionContext {
    private final RtmpServerConfig config;
    private final StreamRegistry streams;
    private final AccessGate gate;
    private final StreamEventListener listener;
    private final Refusals refusals;
    private final ConcurrentHashMap<Long, RtmpSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    public SessionContext(RtmpServerConfig config, StreamRegistry streams, AccessGate gate,
                          StreamEventListener listener) {
        this.config = config;
        this.streams = streams;
        this.gate = gate;
        this.listener = listener;
        this.refusals = new Refusals(listener);
    }

    public RtmpServerConfig config() {
        return config;
    }

    public StreamRegistry streams() {
        return streams;
    }

    AccessGate gate() {
        return gate;
    }

    StreamEventListener listener() {
        return listener;
    }

    /** Where every limit reports the peers it refused. */
    public Refusals refusals() {
        return refusals;
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    void register(RtmpSession session) {
        sessions.put(session.id(), session);
    }

    void unregister(RtmpSession session) {
        sessions.remove(session.id(), session);
    }

    public int sessionCount() {
        return sessions.size();
    }

    public List<SessionInfo> snapshots() {
        List<SessionInfo> result = new ArrayList<>(sessions.size());
        for (RtmpSession s : sessions.values()) {
            result.add(s.info());
        }
        return result;
    }

    public Optional<SessionInfo> snapshot(long id) {
        return Optional.ofNullable(sessions.get(id)).map(RtmpSession::info);
    }

    /** Closes a session's connection; false if there is no such session. */
    public boolean close(long id, String reason) {
        RtmpSession session = sessions.get(id);
        if (session == null) {
            return false;
        }
        session.kick(reason);
        return true;
    }

    /** Closes every connection (server shutdown). */
    public void closeAll() {
        sessions.values().forEach(s -> s.kick("server shutting down"));
    }
}
