package io.sluice.engine.session;

import io.sluice.engine.spi.Refusal;
import io.sluice.engine.spi.StreamEventListener;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a refused peer: one metric event for every refusal, and one log line with the remote
 * address and the limit. A peer can trigger refusals as fast as it can open connections, so the log
 * is rate-limited per reason: at most one line per reason per second; the refusals left out are
 * counted and the next line of that reason says how many there were. (Per reason rather than per
 * address, so the bookkeeping stays a fixed size however many addresses an attacker has.)
 * Thread-safe; called on any event loop.
 */
public final class Refusals {
    private static final Logger log = LoggerFactory.getLogger(Refusals.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final StreamEventListener listener;
    private final AtomicLongArray lastLogged = new AtomicLongArray(Refusal.values().length);
    private final AtomicLongArray notLogged = new AtomicLongArray(Refusal.values().length);

    public Refusals(StreamEventListener listener) {
        this.listener = listener;
        long longAgo = System.nanoTime() - LOG_INTERVAL_NANOS;
        for (int i = 0; i < lastLogged.length(); i++) {
            lastLogged.set(i, longAgo);
        }
    }

    /** Logs (rate-limited) and reports one refusal; {@code limit} says which limit, with its value. */
    public void refuse(Refusal reason, SocketAddress remote, String limit) {
        listener.refused(reason, remote instanceof InetSocketAddress a ? a : null);
        int i = reason.ordinal();
        long now = System.nanoTime();
        long last = lastLogged.get(i);
        if (now - last < LOG_INTERVAL_NANOS || !lastLogged.compareAndSet(i, last, now)) {
            notLogged.incrementAndGet(i);
            return;
        }
        long more = notLogged.getAndSet(i, 0);
        if (more == 0) {
            log.warn("refused {} ({}): {}", remote, reason.tag(), limit);
        } else {
            log.warn("refused {} ({}): {} ({} more {} refusals since the last line)", remote, reason.tag(), limit,
                    more, reason.tag());
        }
    }
}
