package io.sluice.engine.spi;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells several listeners, in order, each isolated from the others' failures. */
public final class StreamEventListeners implements StreamEventListener {
    private static final Logger log = LoggerFactory.getLogger(StreamEventListeners.class);

    private final List<StreamEventListener> listeners = new CopyOnWriteArrayList<>();

    public StreamEventListeners(List<? extends StreamEventListener> initial) {
        listeners.addAll(initial);
    }

    public void add(StreamEventListener listener) {
        listeners.add(listener);
    }

    private void each(Consumer<StreamEventListener> call) {
        for (StreamEventListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.warn("stream event listener {} failed", l, e);
            }
        }
    }

    @Override
    public void connected(SessionInfo s) {
        each(l -> l.connected(s));
    }

    @Override
    public void publishStarted(SessionInfo s) {
        each(l -> l.publishStarted(s));
    }

    @Override
    public void recordRequested(SessionInfo s) {
        each(l -> l.recordRequested(s));
    }

    @Override
    public void publishEnded(SessionInfo s) {
        each(l -> l.publishEnded(s));
    }

    @Override
    public void playStarted(SessionInfo s) {
        each(l -> l.playStarted(s));
    }

    @Override
    public void playEnded(SessionInfo s) {
        each(l -> l.playEnded(s));
    }

    @Override
    public void disconnected(SessionInfo s) {
        each(l -> l.disconnected(s));
    }

    @Override
    public void refused(Refusal reason, InetSocketAddress remote) {
        each(l -> l.refused(reason, remote));
    }
}
