package io.sluice.engine.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.sluice.engine.media.MediaPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Merged writes: subscribers are sent a window's packets and flushed once per window, not once per
 * publisher burst; other apps are untouched.
 */
class MergeWindowTest {
    private final DefaultEventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Records what it is told, in order: "d" per delivery, "F" per flush. */
    private static final class Journal implements Subscriber {
        final List<String> events = new CopyOnWriteArrayList<>();

        /** Waits (at most 5 s) until {@code count} events were recorded since the last clear. */
        List<String> await(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (events.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return events;
        }

        @Override
        public long id() {
            return 1;
        }

        @Override
        public void deliver(MediaPacket packet) {
            events.add("d");
        }

        @Override
        public void flush() {
            events.add("F");
        }

        @Override
        public void onStreamEnd(boolean neverPublished) {
        }
    }

    private static final Publisher PUBLISHER = new Publisher() {
        @Override
        public long sessionId() {
            return 7;
        }

        @Override
        public void stopPublishing(String reason) {
        }
    };

    private final StreamRegistry registry = new StreamRegistry(StreamConfig.DEFAULT
            .withMergeWindows(Duration.ZERO, Map.of("merged", Duration.ofMillis(50))));

    /** A stream of {@code key}, published, with {@code journal} subscribed. */
    private LiveStream publishedTo(StreamKey key, Journal journal) throws Exception {
        LiveStream stream = registry.publish(key, loop, PUBLISHER, key.name()).get(5, TimeUnit.SECONDS);
        registry.subscribe(key, loop, journal).get(5, TimeUnit.SECONDS);
        return stream;
    }

    /** Five bursts of one audio packet each, all inside one task of the stream's loop. */
    private Journal fiveBurstsTo(String app) throws Exception {
        Journal journal = new Journal();
        LiveStream stream = publishedTo(new StreamKey(app, "s"), journal);
        loop.submit(() -> {
            journal.events.clear(); // a late joiner is flushed at once, window or not
            for (int i = 0; i < 5; i++) {
                stream.publish(PUBLISHER, MediaPacket.Kind.AUDIO, i * 20, Unpooled.wrappedBuffer(new byte[]{(byte) 0xaf, 1, 0}));
                stream.flush();
            }
        }).get(5, TimeUnit.SECONDS);
        return journal;
    }

    @Test
    void burstsInsideOneWindowAreSentTogetherWhenItCloses() throws Exception {
        Journal journal = fiveBurstsTo("merged");
        assertThat(journal.await(6)).as("all five wait out the window that the first opened")
                .containsExactly("d", "d", "d", "d", "d", "F");
        loop.schedule(() -> { }, 100, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
        assertThat(journal.events).as("the next window is only opened by the next burst").hasSize(6);
    }

    @Test
    void aWindowThatHoldsEnoughBytesIsFlushedBeforeItCloses() throws Exception {
        Journal journal = new Journal();
        LiveStream stream = publishedTo(new StreamKey("merged", "big"), journal);
        byte[] half = new byte[LiveStream.FULL_WINDOW_BYTES / 2];
        half[0] = (byte) 0xaf;
        half[1] = 1;
        loop.submit(() -> {
            journal.events.clear();
            stream.publish(PUBLISHER, MediaPacket.Kind.AUDIO, 0, Unpooled.wrappedBuffer(half));
            stream.flush();
            journal.events.add("|");
            stream.publish(PUBLISHER, MediaPacket.Kind.AUDIO, 20, Unpooled.wrappedBuffer(half));
            stream.flush();
            journal.events.add("|");
        }).get(5, TimeUnit.SECONDS);
        loop.schedule(() -> { }, 100, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
        assertThat(journal.events).as("the second half fills the window, which goes before it closes; what"
                        + " follows it (nothing here) goes when the window was due")
                .containsExactly("|", "d", "d", "F", "|", "F");
    }

    @Test
    void aWindowThatHoldsTheMostPacketsABurstMayIsSentBeforeItCloses() throws Exception {
        Journal journal = new Journal();
        LiveStream stream = publishedTo(new StreamKey("merged", "many"), journal);
        loop.submit(() -> {
            journal.events.clear();
            for (int i = 0; i <= LiveStream.MAX_BURST_PACKETS; i++) { // no flush from the publisher at all
                stream.publish(PUBLISHER, MediaPacket.Kind.AUDIO, i * 20, Unpooled.wrappedBuffer(new byte[]{(byte) 0xaf, 1, 0}));
            }
        }).get(5, TimeUnit.SECONDS);
        List<String> expected = new ArrayList<>(Collections.nCopies(LiveStream.MAX_BURST_PACKETS, "d"));
        expected.add("F");
        assertThat(journal.events).containsExactlyElementsOf(expected);
    }

    @Test
    void aJoinerDuringAWindowGetsItsPacketsOnceWithTheCachedOnes() throws Exception {
        StreamKey key = new StreamKey("merged", "join");
        Journal first = new Journal();
        Journal joiner = new Journal();
        LiveStream stream = publishedTo(key, first);
        loop.submit(() -> {
            first.events.clear();
            for (int i = 0; i < 2; i++) {
                stream.publish(PUBLISHER, MediaPacket.Kind.AUDIO, i * 20, Unpooled.wrappedBuffer(new byte[]{(byte) 0xaf, 1, 0}));
                stream.flush();
            }
        }).get(5, TimeUnit.SECONDS);
        registry.subscribe(key, loop, joiner).get(5, TimeUnit.SECONDS);
        loop.schedule(() -> { }, 100, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS); // past the window
        assertThat(first.events).as("the window's packets go out before the joiner is counted in, once")
                .containsExactly("d", "d", "F");
        assertThat(joiner.events).as("the cached audio, once").containsExactly("d", "d", "F");
    }

    @Test
    void withoutAWindowEveryBurstIsFlushed() throws Exception {
        Journal journal = fiveBurstsTo("live");
        assertThat(journal.events).containsExactly("d", "F", "d", "F", "d", "F", "d", "F", "d", "F");
    }
}
