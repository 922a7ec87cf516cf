package io.sluice.webhook;

import io.sluice.engine.spi.AccessRequest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * What the gates saw of each live session (the query string, the name as sent, the public name), so
 * the notifications that follow ({@code publish_done}, {@code play_done}, {@code disconnect},
 * {@code record_done}) can carry the same fields, as nginx-rtmp's do. Forgotten on disconnect; bounded
 * (oldest sessions first) for sessions that never report one, e.g. a refused connect.
 */
@Component
class SessionMemory {
    static final int MAX_SESSIONS = 20_000;
    static final int MAX_PER_SESSION = 16;

    /** One allowed request of a session and the name it goes by. */
    record Remembered(AccessRequest request, String publicName, String label) {
    }

    private final int maxSessions;
    private final Map<Long, Deque<Remembered>> sessions;

    @Autowired
    SessionMemory() {
        this(MAX_SESSIONS);
    }

    SessionMemory(int maxSessions) {
        this.maxSessions = maxSessions;
        this.sessions = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Deque<Remembered>> eldest) {
                return size() > SessionMemory.this.maxSessions;
            }
        };
    }

    synchronized void remember(AccessRequest request, String publicName, String label) {
        Deque<Remembered> list = sessions.computeIfAbsent(request.sessionId(), id -> new ArrayDeque<>());
        if (request.action() == AccessRequest.Action.CONNECT) {
            list.removeIf(r -> r.request().action() == AccessRequest.Action.CONNECT);
        } else if (list.size() >= MAX_PER_SESSION) {
            // keep the connect, drop the oldest stream request
            for (Iterator<Remembered> it = list.iterator(); it.hasNext(); ) {
                if (it.next().request().action() != AccessRequest.Action.CONNECT) {
                    it.remove();
                    break;
                }
            }
        }
        list.addLast(new Remembered(request, publicName == null || publicName.isEmpty() ? request.streamName()
                : publicName, label));
    }

    /**
     * The latest request of {@code action} in the session whose public name is {@code publicName} (any
     * name if null or nothing matches), or null.
     */
    synchronized Remembered find(long sessionId, AccessRequest.Action action, String publicName) {
        Deque<Remembered> list = sessions.get(sessionId);
        if (list == null) {
            return null;
        }
        Remembered any = null;
        for (Iterator<Remembered> it = list.descendingIterator(); it.hasNext(); ) {
            Remembered r = it.next();
            if (r.request().action() != action) {
                continue;
            }
            if (publicName == null || publicName.equals(r.publicName())) {
                return r;
            }
            if (any == null) {
                any = r;
            }
        }
        return any;
    }

    synchronized void forget(long sessionId) {
        sessions.remove(sessionId);
    }

    synchronized int size() {
        return sessions.size();
    }
}
