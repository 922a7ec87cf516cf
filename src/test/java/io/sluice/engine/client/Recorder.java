package io.sluice.engine.client;

import io.netty.buffer.ByteBufUtil;
import io.sluice.engine.protocol.message.DataMessage;
import io.sluice.engine.protocol.message.MediaMessage;
import io.sluice.engine.protocol.message.RtmpMessage;
import io.sluice.engine.protocol.message.UserControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Remembers what a playing {@link RtmpClient} received (copies, so nothing is retained). */
public final class Recorder implements Consumer<RtmpMessage> {

    /** One received message: type id, timestamp, payload bytes (media) or name (data, user control). */
    public record Received(int type, int timestamp, byte[] payload, String name) {
        public boolean isVideo() {
            return type == 9;
        }

        public boolean isAudio() {
            return type == 8;
        }

        public int firstByte() {
            return payload.length == 0 ? -1 : payload[0] & 0xFF;
        }
    }

    private final List<Received> received = new ArrayList<>();

    @Override
    public synchronized void accept(RtmpMessage m) {
        if (m instanceof MediaMessage mm) {
            received.add(new Received(mm.typeId(), mm.timestamp(), ByteBufUtil.getBytes(mm.content()), ""));
        } else if (m instanceof DataMessage dm) {
            received.add(new Received(dm.typeId(), dm.timestamp(), new byte[0], dm.name()));
        } else if (m instanceof UserControl uc) {
            received.add(new Received(uc.typeId(), 0, new byte[0], uc.event().name()));
        }
        notifyAll();
    }

    public synchronized List<Received> all() {
        return List.copyOf(received);
    }

    public synchronized List<Received> media() {
        return received.stream().filter(r -> r.isAudio() || r.isVideo()).toList();
    }

    /** Waits until {@code condition} holds for the messages so far; false after {@code timeout}. */
    public synchronized boolean await(Predicate<List<Received>> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(received)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    public boolean awaitMedia(int count, Duration timeout) throws InterruptedException {
        return await(r -> r.stream().filter(x -> x.isAudio() || x.isVideo()).count() >= count, timeout);
    }
}
