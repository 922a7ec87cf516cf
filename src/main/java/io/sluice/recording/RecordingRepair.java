package io.sluice.recording;

import io.sluice.engine.flv.FlvRecorderRepair;
import io.sluice.recording.RecordingStore.SegmentRef;
import io.sluice.recording.RecordingStore.SessionFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * At startup, finishes the recordings the previous run left {@code RECORDING} (it was killed): each
 * unfinished file is cut after its last complete tag, gets its duration and keyframe index, and is
 * renamed from {@code .part}; the recording becomes {@code INTERRUPTED}. The list is taken before the
 * RTMP server starts, so new recordings are never mistaken for old ones; the files are repaired on a
 * thread of their own so a large file does not hold up the start.
 */
@Component
class RecordingRepair implements SmartInitializingSingleton {
    private static final Logger log = LoggerFactory.getLogger(RecordingRepair.class);

    private final RecordingStore store;
    private final RecordingPaths paths;
    private final RecordingEvents events;
    private final CompletableFuture<Integer> done = new CompletableFuture<>();

    RecordingRepair(RecordingStore store, RecordingPaths paths, RecordingEvents events) {
        this.store = store;
        this.paths = paths;
        this.events = events;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<Long> ids = store.idsWithStatus(RecordingStatus.RECORDING);
        if (ids.isEmpty()) {
            done.complete(0);
            return;
        }
        log.info("{} recording(s) were interrupted by the last shutdown; repairing", ids.size());
        Thread thread = new Thread(() -> {
            try {
                ids.forEach(this::repair);
            } finally {
                done.complete(ids.size());
            }
        }, "recording-repair");
        thread.setDaemon(true);
        thread.start();
    }

    /** Completes with the number of recordings repaired once the startup repair is over. */
    CompletableFuture<Integer> done() {
        return done;
    }

    void repair(long id) {
        try {
            Optional<SessionFiles> found = store.files(id);
            if (found.isEmpty() || found.get().status() != RecordingStatus.RECORDING) {
                return;
            }
            SessionFiles session = found.get();
            long cut = 0;
            int repaired = 0;
            Instant lastWrite = null;
            for (SegmentRef segment : session.segments()) {
                if (segment.complete()) {
                    continue;
                }
                Path target = paths.resolve(segment.path());
                Path part = RecordingPaths.part(target);
                if (Files.exists(part)) {
                    Instant modified = Files.getLastModifiedTime(part).toInstant();
                    lastWrite = lastWrite == null || modified.isAfter(lastWrite) ? modified : lastWrite;
                }
                Optional<FlvRecorderRepair.Result> result = FlvRecorderRepair.repair(part, target, segment.seq(),
                        segment.firstTimestamp());
                if (result.isEmpty()) {
                    store.removeSegment(id, segment.seq());
                    continue;
                }
                repaired++;
                cut += result.get().bytesCut();
                store.completeSegment(id, result.get().segment(), Instant.now());
                var s = result.get().segment();
                events.segmentCompleted(new RecordedSegment(id, session.publisherSessionId(), session.app(),
                        session.stream(), session.keyLabel(), s.index(), s.path().toString(), s.durationMillis() / 1000.0,
                        s.sizeBytes(), RecordingStatus.INTERRUPTED, "the server stopped while recording"));
            }
            String reason = "the server stopped while recording; " + (repaired == 0 ? "no unfinished file"
                    : repaired + " unfinished file(s) repaired, " + cut + " byte(s) of incomplete tags cut");
            store.end(id, RecordingStatus.INTERRUPTED, reason, lastWrite != null ? lastWrite : Instant.now());
            log.info("recording {} ({}/{}): INTERRUPTED; {}", id, session.app(), session.stream(), reason);
        } catch (IOException | RuntimeException e) {
            log.warn("recording {}: repair failed; it stays RECORDING and is tried again at the next start", id, e);
        }
    }
}
