package io.sluice.streamkey;

import io.sluice.engine.spi.SessionInfo;
import io.sluice.engine.spi.StreamEventListener;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import org.springframework.stereotype.Component;

/**
 * The publishes this application allowed with a stream key and that have not ended: for counting
 * concurrent publishers per key and for the periodic re-check. Told of ends by the engine (on event
 * loops: only map operations here, nothing that blocks).
 */
@Component
public class LivePublishes implements StreamEventListener {

    /** One allowed publish: which session, with which key and which of its secrets. */
    record LivePublish(long sessionId, long keyId, String app, String publicName, String secretHash) {
    }

    private record Slot(long sessionId, String app, String name) {
    }

    private final ConcurrentHashMap<Slot, LivePublish> live = new ConcurrentHashMap<>();

    /**
     * Adds {@code publish} unless its key already has {@code max} publishes whose sessions are alive;
     * entries of sessions that are gone are dropped on the way.
     */
    synchronized boolean tryAdd(LivePublish publish, int max, LongPredicate sessionAlive) {
        live.values().removeIf(p -> !sessionAlive.test(p.sessionId()));
        long count = live.values().stream().filter(p -> p.keyId() == publish.keyId()).count();
        if (count >= max) {
            return false;
        }
        live.put(new Slot(publish.sessionId(), publish.app(), publish.publicName()), publish);
        return true;
    }

    /**
     * The id of the stream key a live publish was allowed with, if session {@code sessionId} publishes
     * with one (empty for publishes allowed without a key). Valid from the engine's {@code publishStarted}
     * until its {@code publishEnded}.
     */
    public OptionalLong keyIdOf(long sessionId) {
        return live.values().stream().filter(p -> p.sessionId() == sessionId).mapToLong(LivePublish::keyId).findFirst();
    }

    List<LivePublish> all() {
        return List.copyOf(live.values());
    }

    int countFor(long keyId) {
        return (int) live.values().stream().filter(p -> p.keyId() == keyId).count();
    }

    void remove(LivePublish publish) {
        live.remove(new Slot(publish.sessionId(), publish.app(), publish.publicName()), publish);
    }

    void forgetSession(long sessionId) {
        live.values().removeIf(p -> p.sessionId() == sessionId);
    }

    @Override
    public void publishEnded(SessionInfo session) {
        live.remove(new Slot(session.id(), Objects.toString(session.app(), ""), Objects.toString(session.streamName(), "")));
    }

    @Override
    public void disconnected(SessionInfo session) {
        forgetSession(session.id());
    }
}
