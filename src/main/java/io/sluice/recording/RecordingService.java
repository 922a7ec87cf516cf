package io.sluice.recording;

import io.sluice.engine.RtmpServer;
import io.sluice.engine.flv.FlvRecorder;
import io.sluice.engine.flv.FlvRecorderSegment;
import io.sluice.engine.flv.FlvRecorderStorage;
import io.sluice.engine.spi.SessionInfo;
import io.sluice.engine.spi.StreamEventListener;
import io.sluice.engine.stream.LiveStream;
import io.sluice.engine.stream.StreamKey;
import io.sluice.engine.stream.StreamRegistry;
import io.sluice.engine.stream.StreamSnapshot;
import io.sluice.recording.RecordingDtos.RecordingDetail;
import io.sluice.recording.RecordingStore.SessionFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts and stops recordings: on the engine's events (a key with auto-record, {@code sluice.recording.all}
 * / {@code apps}) and over the API. Each recording is an {@link FlvRecorder} subscribed to the live
 * stream; its files are written on a shared pool of writer threads, and its rows are updated from there.
 * Engine events arrive on event loops and are handed to a control thread at once (the database is
 * never touched on an event loop).
 */
@Component
class RecordingService implements StreamEventListener, SmartLifecycle, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(RecordingService.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    /** The stream is not live. */
    static final class NotLiveException extends RuntimeException {
        NotLiveException(StreamKey key) {
            super("Stream " + key + " is not live.");
        }
    }

    /** The stream is being recorded already. */
    static final class AlreadyRecordingException extends RuntimeException {
        final long recordingId;

        AlreadyRecordingException(StreamKey key, long recordingId) {
            super("Stream " + key + " is already being recorded (recording " + recordingId + ").");
            this.recordingId = recordingId;
        }
    }

    /** A recording in progress; it hears from its recorder on the recorder's writer thread. */
    private final class Active implements FlvRecorder.Listener {
        final long id;
        final StreamKey key;
        final String keyLabel;
        final long publisherSessionId;
        final FlvRecorder recorder;
        volatile boolean failureReported;

        Active(long id, StreamKey key, String keyLabel, long publisherSessionId, RecordingMode mode) {
            this.id = id;
            this.key = key;
            this.keyLabel = keyLabel;
            this.publisherSessionId = publisherSessionId;
            this.recorder = new FlvRecorder(id, properties.recorderOptions(mode), storage, this, writers);
        }

        @Override
        public Path segmentStarting(int index, long firstTimestamp) {
            return onSegmentStarting(this, index, firstTimestamp);
        }

        @Override
        public void segmentCompleted(FlvRecorderSegment segment) {
            onSegmentCompleted(this, segment);
        }

        @Override
        public void ended(String failure) {
            onEnded(this, failure);
        }
    }

    /** Lazily: the server collects the listeners (this one too) when it is created. */
    private final ObjectProvider<RtmpServer> rtmp;
    private final RecordingStore store;
    private final RecordingPaths paths;
    private final RecordingProperties properties;
    private final FlvRecorderStorage storage;
    private final RecordingEvents events;
    private final Clock clock;
    private final ExecutorService writers;
    private final ExecutorService control;
    private final Map<StreamKey, Active> active = new ConcurrentHashMap<>();
    private volatile boolean running;

    RecordingService(ObjectProvider<RtmpServer> rtmp, RecordingStore store, RecordingPaths paths, RecordingProperties properties,
                     ObjectProvider<FlvRecorderStorage> storage, RecordingEvents events) {
        this.rtmp = rtmp;
        this.store = store;
        this.paths = paths;
        this.properties = properties;
        this.storage = storage.getIfAvailable(() -> FlvRecorderStorage.FILES);
        this.events = events;
        this.clock = Clock.systemUTC();
        this.writers = Executors.newFixedThreadPool(properties.writerThreads(), threads("recording-writer-"));
        this.control = Executors.newSingleThreadExecutor(threads("recording-control-"));
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---- engine events (event loops: hand over and return) --------------------------------------

    @Override
    public void publishStarted(SessionInfo session) {
        if (properties.recordsApp(session.app())) {
            startLater(session, RecordingTrigger.CONFIG);
        }
    }

    @Override
    public void recordRequested(SessionInfo session) {
        startLater(session, RecordingTrigger.KEY);
    }

    private void startLater(SessionInfo session, RecordingTrigger trigger) {
        StreamKey key = new StreamKey(session.app(), session.streamName());
        try {
            control.execute(() -> {
                try {
                    start(key, trigger, properties.mode(), session.id());
                } catch (AlreadyRecordingException e) {
                    log.debug("{}: {}", key, e.getMessage());
                } catch (NotLiveException e) {
                    log.info("not recording {}: the publish ended before the recording could start", key);
                } catch (RuntimeException e) {
                    log.warn("could not start recording {}: {}", key, e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("not recording {}: shutting down", key);
        }
    }

    // ---- start / stop ---------------------------------------------------------------------------

    /**
     * Starts recording the live stream {@code key}.
     *
     * @param publisherSessionId only if this session is still its publisher (events); null: any (API)
     * @throws NotLiveException         not live (or published by someone else by now)
     * @throws AlreadyRecordingException it is being recorded
     * @throws IllegalArgumentException its name cannot be a file name
     */
    synchronized long start(StreamKey key, RecordingTrigger trigger, RecordingMode mode, Long publisherSessionId) {
        if (!running) {
            throw new IllegalStateException("recordings are not accepted: the server is stopping");
        }
        String invalid = RecordingPaths.invalidStream(key.app(), key.name());
        if (invalid != null) {
            throw new IllegalArgumentException("Stream " + key + " cannot be recorded: " + invalid + ".");
        }
        Active existing = active.get(key);
        if (existing != null) {
            throw new AlreadyRecordingException(key, existing.id);
        }
        StreamRegistry registry = rtmp.getObject().streams();
        LiveStream stream = registry.find(key).orElseThrow(() -> new NotLiveException(key));
        StreamSnapshot snapshot = stream.snapshot();
        if (!snapshot.live() || publisherSessionId != null && snapshot.publisherSessionId() != publisherSessionId) {
            throw new NotLiveException(key);
        }
        long id = store.create(key.app(), key.name(), snapshot.label(), snapshot.publisherSessionId(), trigger, mode,
                clock.instant());
        Active a = new Active(id, key, snapshot.label(), snapshot.publisherSessionId(), mode);
        FlvRecorder recorder = a.recorder;
        active.put(key, a);
        log.info("recording {} started: {} ({}, {}{})", id, key, trigger, mode,
                snapshot.label() == null ? "" : ", key '" + snapshot.label() + "'");
        registry.subscribe(key, stream.executor(), recorder).whenComplete((live, error) -> {
            if (error != null) {
                recorder.fail("could not subscribe to the stream: " + error);
                return;
            }
            recorder.done().whenComplete((failure, e) -> live.unsubscribe(recorder));
            if (live != stream || !live.snapshot().live()) {
                recorder.stop(); // the publish ended while subscribing: nothing to record
            }
        });
        return id;
    }

    /** Stops the recording of {@code key} and waits (a bounded time) for its last file; empty if not recording. */
    Optional<RecordingDetail> stop(StreamKey key) {
        Active a = active.get(key);
        if (a == null) {
            return Optional.empty();
        }
        log.info("recording {} of {}: stop requested", a.id, key);
        a.recorder.stop();
        awaitQuietly(a.recorder.done(), STOP_WAIT);
        return store.detail(a.id);
    }

    boolean isRecording(long recordingId) {
        return active.values().stream().anyMatch(a -> a.id == recordingId);
    }

    /** Deletes a finished recording and its files; false if there is none. */
    boolean delete(long recordingId) throws IOException {
        if (isRecording(recordingId)) {
            throw new IllegalStateException("Recording " + recordingId + " is in progress; stop it first.");
        }
        Optional<SessionFiles> files = store.files(recordingId);
        if (files.isEmpty()) {
            return false;
        }
        for (RecordingStore.SegmentRef segment : files.get().segments()) {
            paths.deleteWithEmptyParents(paths.resolve(segment.path()));
        }
        return store.delete(recordingId);
    }

    // ---- recorder callbacks (writer threads) ----------------------------------------------------

    private Path onSegmentStarting(Active a, int index, long firstTimestamp) {
        var now = clock.instant();
        Path file = paths.newSegment(a.key.app(), a.key.name(), now);
        store.addSegment(a.id, index, paths.relative(file), firstTimestamp, now);
        return file;
    }

    private void onSegmentCompleted(Active a, FlvRecorderSegment segment) {
        store.completeSegment(a.id, segment, clock.instant());
        if (segment.failure() != null) {
            a.failureReported = true;
        }
        events.segmentCompleted(new RecordedSegment(a.id, a.publisherSessionId, a.key.app(), a.key.name(), a.keyLabel,
                segment.index(), segment.path().toString(), segment.durationMillis() / 1000.0, segment.sizeBytes(),
                segment.failure() == null ? RecordingStatus.COMPLETED : RecordingStatus.FAILED, segment.failure()));
    }

    private void onEnded(Active a, String failure) {
        try {
            removeAbandonedSegments(a);
            boolean nothing = store.detail(a.id).map(d -> d.segments().isEmpty()).orElse(true);
            String reason = failure != null ? failure
                    : nothing ? "nothing was recorded: the publish ended before a "
                    + (a.recorder.options().mode().video() ? "video keyframe" : "frame") + " arrived" : null;
            store.end(a.id, failure == null ? RecordingStatus.COMPLETED : RecordingStatus.FAILED, reason,
                    clock.instant());
            if (failure != null) {
                log.warn("recording {} of {} FAILED: {}", a.id, a.key, failure);
                if (!a.failureReported) {
                    events.segmentCompleted(new RecordedSegment(a.id, a.publisherSessionId, a.key.app(), a.key.name(),
                            a.keyLabel, -1, null, 0, 0, RecordingStatus.FAILED, failure));
                }
            } else {
                log.info("recording {} of {} completed{}", a.id, a.key, nothing ? " (nothing recorded)" : "");
            }
        } finally {
            active.remove(a.key, a);
        }
    }

    /** Segments the recorder gave up before their first frame: their file is gone. */
    private void removeAbandonedSegments(Active a) {
        store.files(a.id).ifPresent(files -> files.segments().stream().filter(s -> !s.complete()).forEach(s -> {
            Path file = paths.resolve(s.path());
            if (!Files.exists(file) && !Files.exists(RecordingPaths.part(file))) {
                store.removeSegment(a.id, s.seq());
            }
        }));
    }

    private static void awaitQuietly(CompletableFuture<?> future, Duration timeout) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("a recording did not finish within {}", timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("a recording ended with an error", e.getCause());
        }
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    @Override
    public void start() {
        running = true;
    }

    /** After the RTMP server (which stops first): every recording finishes its file before the database goes. */
    @Override
    public void stop() {
        synchronized (this) {
            running = false;
        }
        List<CompletableFuture<String>> pending = new ArrayList<>();
        for (Active a : active.values()) {
            a.recorder.stop();
            pending.add(a.recorder.done());
        }
        if (!pending.isEmpty()) {
            log.info("finishing {} recording(s)", pending.size());
            awaitQuietly(CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)), STOP_WAIT);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }

    @Override
    public void destroy() {
        control.shutdownNow();
        writers.shutdown();
        try {
            if (!writers.awaitTermination(5, TimeUnit.SECONDS)) {
                writers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
