package io.sluice.bench.soak;

import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.protocol.message.MediaMessage;
import io.sluice.engine.relay.ClientPublishSink;
import io.sluice.engine.relay.FlvPacer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Well-behaved clients coming and going at a steady rate: each publisher slot publishes a looped clip
 * under a new name for a random time and leaves (politely, or by dropping the socket), then comes
 * back; each player and HTTP-FLV viewer slot watches a random live stream for a random time and
 * leaves; a few REST calls run alongside. Everything that goes wrong is counted, never thrown.
 */
final class Churn implements AutoCloseable {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_ERRORS_KEPT = 30;

    /** One finished publish: what the recording of {@code name} must match. */
    record Publish(String name, int kbps, boolean abrupt, long mediaMillis, long wallMillis, long bytes) {
    }

    /** Counts of what happened, for the report. */
    static final class Counters {
        final AtomicLong publishes = new AtomicLong();
        final AtomicLong publishesRefused = new AtomicLong();
        final AtomicLong publishesDropped = new AtomicLong();
        final AtomicLong abruptPublishEnds = new AtomicLong();
        final AtomicLong publishedBytes = new AtomicLong();
        final AtomicLong plays = new AtomicLong();
        final AtomicLong playsRaced = new AtomicLong();
        final AtomicLong playsEndedWithStream = new AtomicLong();
        final AtomicLong playErrors = new AtomicLong();
        final AtomicLong playsWithoutMedia = new AtomicLong();
        final AtomicLong abruptPlayEnds = new AtomicLong();
        final AtomicLong playedMessages = new AtomicLong();
        final AtomicLong playedBytes = new AtomicLong();
        final AtomicLong flvViews = new AtomicLong();
        final AtomicLong flvRaced = new AtomicLong();
        final AtomicLong flvErrors = new AtomicLong();
        final AtomicLong flvBytes = new AtomicLong();
        final AtomicLong restCalls = new AtomicLong();
        final AtomicLong restErrors = new AtomicLong();

        /** Failures of well-behaved clients that a healthy server never causes. */
        long failures() {
            return publishesRefused.get() + publishesDropped.get() + playErrors.get() + playsWithoutMedia.get()
                    + flvErrors.get() + restErrors.get();
        }
    }

    private final SoakOptions options;
    private final int rtmpPort;
    private final ServerApi api;
    private final List<MediaClips.Clip> clips;
    private final String namePrefix;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CLIENT_TIMEOUT).build();
    private final Counters counters = new Counters();
    private final List<Publish> finished = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Set<String> live = ConcurrentHashMap.newKeySet();
    private final Set<FlvPacer> pacers = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextName = new AtomicLong();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final List<Thread> slots = new ArrayList<>();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "soak-timers");
        t.setDaemon(true);
        return t;
    });

    Churn(SoakOptions options, int rtmpPort, ServerApi api, List<MediaClips.Clip> clips, String namePrefix) {
        this.options = options;
        this.rtmpPort = rtmpPort;
        this.api = api;
        this.clips = List.copyOf(clips);
        this.namePrefix = namePrefix;
    }

    void start() {
        for (int i = 0; i < options.publishers(); i++) {
            startSlot("soak-publisher-" + i, this::publishOnce);
        }
        for (int i = 0; i < options.players(); i++) {
            startSlot("soak-player-" + i, this::playOnce);
        }
        for (int i = 0; i < options.flvViewers(); i++) {
            startSlot("soak-flv-" + i, this::viewFlvOnce);
        }
        timers.scheduleWithFixedDelay(this::callRest, 1, 5, TimeUnit.SECONDS);
    }

    Counters counters() {
        return counters;
    }

    List<Publish> finishedPublishes() {
        return List.copyOf(finished);
    }

    List<String> errors() {
        return List.copyOf(errors);
    }

    int liveStreams() {
        return live.size();
    }

    /** Ends every client (publishers politely) and waits for the slots to finish. */
    @Override
    public void close() throws InterruptedException {
        stopping.countDown();
        pacers.forEach(FlvPacer::stop);
        timers.shutdownNow();
        long deadline = System.nanoTime() + CLIENT_TIMEOUT.multipliedBy(3).toNanos();
        for (Thread slot : slots) {
            slot.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (slot.isAlive()) {
                error(slot.getName() + " did not stop");
                slot.interrupt();
            }
        }
    }

    private interface Round {
        void run() throws Exception;
    }

    private void startSlot(String name, Round round) {
        Thread t = new Thread(() -> {
            // slots start spread out, so the churn is steady from the beginning
            if (pause(Duration.ofMillis(ThreadLocalRandom.current().nextLong(3000)))) {
                return;
            }
            while (stopping.getCount() > 0) {
                try {
                    round.run();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    error(name + ": " + e);
                }
                if (pause(Duration.ofMillis(500 + ThreadLocalRandom.current().nextLong(2500)))) {
                    return;
                }
            }
        }, name);
        t.setDaemon(true);
        slots.add(t);
        t.start();
    }

    /** Waits, or returns true at once when the soak is stopping. */
    private boolean pause(Duration time) {
        try {
            return stopping.await(time.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void publishOnce() throws Exception {
        Random random = ThreadLocalRandom.current();
        String name = namePrefix + nextName.incrementAndGet();
        MediaClips.Clip clip = clips.get(random.nextInt(clips.size()));
        Duration length = between(options.publishMin(), options.publishMax());
        boolean abrupt = random.nextDouble() < options.abruptFraction();
        RtmpClient client = connect("publish", name, counters.publishesRefused);
        if (client == null) {
            return;
        }
        int streamId;
        try {
            streamId = client.publish().get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            client.close();
            counters.publishesRefused.incrementAndGet();
            error("publish " + name + ": " + e);
            return;
        }
        counters.publishes.incrementAndGet();
        live.add(name);
        FlvPacer pacer = new FlvPacer(clip.file(), true, true);
        pacers.add(pacer);
        if (stopping.getCount() == 0) {
            pacer.stop();
        }
        var stopTimer = timers.schedule(pacer::stop, length.toMillis(), TimeUnit.MILLISECONDS);
        long startNanos = System.nanoTime();
        boolean dropped = false;
        try {
            pacer.run(new ClientPublishSink(client, streamId, () -> null));
        } catch (IOException e) {
            dropped = true;
            counters.publishesDropped.incrementAndGet();
            error("publish " + name + " dropped after " + pacer.mediaMillis() + " ms: " + e.getMessage());
        } finally {
            stopTimer.cancel(false);
            pacers.remove(pacer);
            live.remove(name);
        }
        if (!dropped && abrupt) {
            counters.abruptPublishEnds.incrementAndGet();
            client.closeAsync();
        } else if (!dropped) {
            try {
                client.unpublish(streamId, name).get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                counters.publishesDropped.incrementAndGet();
                error("unpublish " + name + ": " + e);
            }
            client.close();
        }
        counters.publishedBytes.addAndGet(pacer.bytes());
        finished.add(new Publish(name, clip.kbps(), abrupt && !dropped, pacer.mediaMillis(),
                (System.nanoTime() - startNanos) / 1_000_000, pacer.bytes()));
    }

    private void playOnce() throws Exception {
        String name = pickLive();
        if (name == null) {
            return;
        }
        Duration length = between(options.playMin(), options.playMax());
        boolean abrupt = ThreadLocalRandom.current().nextDouble() < options.abruptFraction();
        AtomicLong messages = new AtomicLong();
        RtmpClient client = connect("play", name, counters.playErrors);
        if (client == null) {
            return;
        }
        try {
            int streamId = client.play(name, m -> {
                if (m instanceof MediaMessage media) {
                    messages.incrementAndGet();
                    counters.playedBytes.addAndGet(media.content().readableBytes());
                }
            }).get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            counters.plays.incrementAndGet();
            boolean streamWasLive = live.contains(name);
            pause(length);
            if (!client.isActive()) {
                // after its publisher left (and the reconnect grace ran out) the server ends a player
                if (live.contains(name)) {
                    counters.playErrors.incrementAndGet();
                    error("play " + name + ": the server closed the connection while the stream was live");
                } else {
                    counters.playsEndedWithStream.incrementAndGet();
                }
            } else if (messages.get() == 0 && streamWasLive && live.contains(name)) {
                counters.playsWithoutMedia.incrementAndGet();
                error("play " + name + ": no media in " + length.toSeconds() + " s");
            }
            if (abrupt) {
                counters.abruptPlayEnds.incrementAndGet();
            } else {
                client.deleteStream(streamId);
            }
        } catch (Exception e) {
            if (live.contains(name)) {
                counters.playErrors.incrementAndGet();
                error("play " + name + ": " + e);
            } else {
                counters.playsRaced.incrementAndGet();
            }
        } finally {
            counters.playedMessages.addAndGet(messages.get());
            client.closeAsync();
        }
    }

    private void viewFlvOnce() throws Exception {
        String name = pickLive();
        if (name == null) {
            return;
        }
        long deadline = System.nanoTime() + between(options.playMin(), options.playMax()).toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/live/" + name + ".flv"))
                .timeout(CLIENT_TIMEOUT).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                if (live.contains(name)) {
                    counters.flvErrors.incrementAndGet();
                    error("GET /live/" + name + ".flv: " + response.statusCode());
                } else {
                    counters.flvRaced.incrementAndGet();
                }
                return;
            }
            counters.flvViews.incrementAndGet();
            byte[] header = body.readNBytes(3);
            if (!Arrays.equals(header, new byte[]{'F', 'L', 'V'})) {
                counters.flvErrors.incrementAndGet();
                error("GET /live/" + name + ".flv: the body starts with " + header.length + " bytes "
                        + HexFormat.of().formatHex(header) + ", not FLV" + (live.contains(name) ? "" : " (stream gone)"));
                return;
            }
            byte[] buffer = new byte[64 * 1024];
            int n;
            // the viewer leaves by closing the response mid-stream; it ends earlier if the stream does
            while (System.nanoTime() < deadline && stopping.getCount() > 0) {
                if ((n = body.read(buffer)) < 0) {
                    if (live.contains(name)) {
                        counters.flvErrors.incrementAndGet();
                        error("GET /live/" + name + ".flv ended while the stream was live");
                    }
                    return;
                }
                counters.flvBytes.addAndGet(n);
            }
        }
    }

    private void callRest() {
        for (String path : List.of("/api/streams", "/api/sessions", "/api/recordings?size=5")) {
            counters.restCalls.incrementAndGet();
            try {
                int status = api.status(path);
                if (status != 200) {
                    counters.restErrors.incrementAndGet();
                    error("GET " + path + ": " + status);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException e) {
                counters.restErrors.incrementAndGet();
                error("GET " + path + ": " + e);
            }
        }
    }

    private String pickLive() {
        String[] names = live.toArray(String[]::new);
        return names.length == 0 ? null : names[ThreadLocalRandom.current().nextInt(names.length)];
    }

    /** Connects for {@code name}; null (counted in {@code failures}) if the server does not take it. */
    private RtmpClient connect(String what, String name, AtomicLong failures) throws InterruptedException {
        try {
            return RtmpClient.connect(url(name)).get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            failures.incrementAndGet();
            error(what + " " + name + " connect: " + e);
            return null;
        }
    }

    private String url(String name) {
        return "rtmp://127.0.0.1:" + rtmpPort + "/live/" + name;
    }

    private static Duration between(Duration min, Duration max) {
        long span = max.toMillis() - min.toMillis();
        return min.plusMillis(span <= 0 ? 0 : ThreadLocalRandom.current().nextLong(span + 1));
    }

    private void error(String message) {
        if (errors.size() < MAX_ERRORS_KEPT) {
            errors.add(message);
        }
    }
}
