package io.sluice.engine.stream;

import io.netty.util.concurrent.EventExecutor;
import io.sluice.engine.media.MediaPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscribers of a stream that live on another event loop, as one subscriber: each packet,
 * flush and notification crosses to that loop once, in one task for all of them, and they are
 * called on their own loop (where their channel's writes need no hand-over). Tasks run in the order
 * the stream sent them, so a joiner's cached packets come before the live ones that follow.
 *
 * <p>{@link #members} is confined to {@link #loop}; {@link #size} to the stream's executor.
 */
final class LoopGroup implements Subscriber {
    private static final Logger log = LoggerFactory.getLogger(LoopGroup.class);

    private final EventExecutor loop;
    private final Consumer<Subscriber> onFault;
    private final List<Subscriber> members = new ArrayList<>();
    /** Members as the stream counts them (joins minus leaves it sent); on the stream's executor. */
    int size;

    /** @param onFault told (on this loop) of a member that threw; the member has been ended already */
    LoopGroup(EventExecutor loop, Consumer<Subscriber> onFault) {
        this.loop = loop;
        this.onFault = onFault;
    }

    EventExecutor loop() {
        return loop;
    }

    @Override
    public long id() {
        return -1;
    }

    /** Adds {@code s}, then gives it {@code cached} (each released after) and flushes it. */
    void join(Subscriber s, List<MediaPacket> cached) {
        loop.execute(() -> {
            members.add(s);
            try {
                for (MediaPacket p : cached) {
                    s.deliver(p);
                }
                if (!cached.isEmpty()) {
                    s.flush();
                }
            } catch (RuntimeException e) {
                fault(s, e);
            } finally {
                cached.forEach(MediaPacket::release);
            }
        });
    }

    /** Removes {@code s}; {@code end} tells it the stream ended for it (null: it left by itself). */
    void leave(Subscriber s, Boolean neverPublished) {
        loop.execute(() -> {
            if (members.remove(s) && neverPublished != null) {
                s.onStreamEnd(neverPublished);
            }
        });
    }

    @Override
    public void onPublish(boolean republish) {
        forEach(s -> s.onPublish(republish));
    }

    @Override
    public void deliver(MediaPacket packet) {
        packet.retain();
        forEach(s -> s.deliver(packet), packet::release);
    }

    @Override
    public void flush() {
        forEach(Subscriber::flush);
    }

    /** One task for the whole burst, in which each member takes all of it and flushes. */
    @Override
    public void send(List<MediaPacket> burst) {
        burst.forEach(MediaPacket::retain);
        forEach(s -> s.send(burst), () -> burst.forEach(MediaPacket::release));
    }

    @Override
    public void onUnpublish() {
        forEach(Subscriber::onUnpublish);
    }

    @Override
    public void onStreamEnd(boolean neverPublished) {
        loop.execute(() -> {
            List<Subscriber> ending = List.copyOf(members);
            members.clear();
            for (Subscriber s : ending) {
                try {
                    s.onStreamEnd(neverPublished);
                } catch (RuntimeException e) {
                    log.warn("subscriber {} failed at the end of its stream", s.id(), e);
                }
            }
        });
    }

    private void forEach(Consumer<Subscriber> action) {
        forEach(action, () -> { });
    }

    /** Calls {@code action} for each member on the loop, then {@code after}, whatever happened. */
    private void forEach(Consumer<Subscriber> action, Runnable after) {
        Runnable task = () -> {
            try {
                for (int i = 0; i < members.size(); i++) {
                    Subscriber s = members.get(i);
                    try {
                        action.accept(s);
                    } catch (RuntimeException e) {
                        fault(s, e);
                        i--;
                    }
                }
            } finally {
                after.run();
            }
        };
        try {
            loop.execute(task);
        } catch (RuntimeException e) {
            after.run(); // the loop is shutting down: its members are gone with it
            throw e;
        }
    }

    /** A member that throws is removed and told the stream ended; the others never notice. */
    private void fault(Subscriber s, RuntimeException e) {
        log.warn("dropping subscriber {} after an error", s.id(), e);
        members.remove(s);
        try {
            s.onStreamEnd(false);
        } catch (RuntimeException ignored) {
            // it is gone either way
        }
        onFault.accept(s);
    }
}
