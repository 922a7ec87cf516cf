package io.sluice.engine.relay;

import io.sluice.engine.client.Reconnector;
import io.sluice.engine.client.RtmpUrl;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** The status fields push and pull relays share, updated from the reconnector and the connection. */
final class RelayState implements Reconnector.Listener {
    private static final AtomicLong IDS = new AtomicLong();

    /** Negative ids for relay publishers and subscribers: never an RTMP session's, never 0 ("no publisher"). */
    static long nextId() {
        return -IDS.incrementAndGet();
    }

    private final String maskedUrl;
    volatile RelayStatus.State state = RelayStatus.State.CONNECTING;
    volatile Instant since = Instant.now();
    volatile String lastError;
    volatile Instant nextAttemptAt;
    final AtomicLong bytes = new AtomicLong();
    volatile int attempts;

    RelayState(String url) {
        this.maskedUrl = mask(url);
    }

    static String mask(String url) {
        try {
            RtmpUrl u = RtmpUrl.parse(url);
            return u.tcUrl() + "/" + (u.stream().length() <= 4 ? "****" : u.stream().substring(0, 2) + "****");
        } catch (IllegalArgumentException e) {
            return "(invalid URL)";
        }
    }

    private void enter(RelayStatus.State s) {
        if (state != s) {
            state = s;
            since = Instant.now();
        }
    }

    @Override
    public void connecting(int attempt) {
        attempts = attempt;
        nextAttemptAt = null;
        enter(RelayStatus.State.CONNECTING);
    }

    @Override
    public void up() {
        enter(RelayStatus.State.LIVE);
    }

    @Override
    public void retrying(Throwable cause, Instant next) {
        lastError = describe(cause);
        nextAttemptAt = next;
        enter(RelayStatus.State.RETRYING);
    }

    @Override
    public void stopped() {
        nextAttemptAt = null;
        enter(RelayStatus.State.STOPPED);
    }

    void stoppedBecause(String why) {
        lastError = why;
        stopped();
    }

    RelayStatus snapshot(long lagMillis, long dropped) {
        RelayStatus.State s = state;
        return new RelayStatus(s, maskedUrl, since, lastError, s == RelayStatus.State.RETRYING ? nextAttemptAt : null,
                bytes.get(), Math.max(0, attempts - 1), s == RelayStatus.State.LIVE ? lagMillis : 0, dropped);
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message = message + " (" + cause.getMessage() + ")";
        }
        return message;
    }
}
