package io.sluice.recording;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes old recordings: finished ones (not {@code RECORDING}) older than {@code max-age}, then the
 * oldest finished ones while all recordings together take more than {@code max-total-size}. Runs every
 * {@code check-interval} (and a minute after start); each run that deletes something is logged.
 */
@Component
class RecordingRetention {
    private static final Logger log = LoggerFactory.getLogger(RecordingRetention.class);

    /** What one run deleted. */
    record Outcome(List<Long> deleted, int tooOld, int overCap, long bytesFreed) {
    }

    private final RecordingStore store;
    private final RecordingService recordings;
    private final RecordingProperties.Retention policy;
    private volatile Instant nextRun = Instant.now().plusSeconds(60);

    RecordingRetention(RecordingStore store, RecordingService recordings, RecordingProperties properties) {
        this.store = store;
        this.recordings = recordings;
        this.policy = properties.retention();
    }

    @Scheduled(fixedDelay = 30_000, initialDelay = 30_000)
    void tick() {
        Instant now = Instant.now();
        if (now.isBefore(nextRun)) {
            return;
        }
        nextRun = now.plus(policy.checkInterval());
        apply(now, policy.maxAge(), policy.maxTotalSize().toBytes());
    }

    /** One run of the policy at {@code now}; a zero age or size means no limit of that kind. */
    Outcome apply(Instant now, Duration maxAge, long maxTotalBytes) {
        if (maxAge.isZero() && maxTotalBytes <= 0) {
            return new Outcome(List.of(), 0, 0, 0);
        }
        List<RecordingUsage> all = store.usageOldestFirst();
        long total = all.stream().mapToLong(RecordingUsage::sizeBytes).sum();
        List<RecordingUsage> doomed = new ArrayList<>();
        int tooOld = 0;
        int overCap = 0;
        Instant cutoff = maxAge.isZero() ? null : now.minus(maxAge);
        for (RecordingUsage r : all) {
            if (!deletable(r)) {
                continue;
            }
            Instant end = r.endedAt() != null ? r.endedAt() : r.startedAt();
            if (cutoff != null && end.isBefore(cutoff)) {
                doomed.add(r);
                tooOld++;
                total -= r.sizeBytes();
            } else if (maxTotalBytes > 0 && total > maxTotalBytes) {
                doomed.add(r);
                overCap++;
                total -= r.sizeBytes();
            }
        }
        List<Long> deleted = new ArrayList<>();
        long freed = 0;
        for (RecordingUsage r : doomed) {
            try {
                if (recordings.delete(r.id())) {
                    deleted.add(r.id());
                    freed += r.sizeBytes();
                }
            } catch (IOException | RuntimeException e) {
                log.warn("retention: could not delete recording {}: {}", r.id(), e.toString());
            }
        }
        if (!deleted.isEmpty()) {
            log.info("retention: deleted {} recording(s), {} MB ({} older than {}, {} over the {} MB cap): {}",
                    deleted.size(), freed >> 20, tooOld, maxAge, overCap, maxTotalBytes >> 20, deleted);
        } else {
            log.debug("retention: nothing to delete");
        }
        return new Outcome(deleted, tooOld, overCap, freed);
    }

    private boolean deletable(RecordingUsage r) {
        return r.status() != RecordingStatus.RECORDING && !recordings.isRecording(r.id());
    }
}
