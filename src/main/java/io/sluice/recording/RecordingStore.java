package io.sluice.recording;

import io.sluice.engine.flv.FlvRecorderSegment;
import io.sluice.recording.RecordingDtos.RecordingDetail;
import io.sluice.recording.RecordingDtos.RecordingPage;
import io.sluice.recording.RecordingDtos.RecordingSummary;
import io.sluice.recording.RecordingDtos.SegmentView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The recordings' rows: every database access of the feature, each its own short transaction. */
@Component
class RecordingStore {

    /** A segment as the repair needs it. */
    record SegmentRef(int seq, String path, boolean complete, long firstTimestamp) {
    }

    /** A recording as delete and repair need it. */
    record SessionFiles(long id, String app, String stream, String keyLabel, long publisherSessionId,
                        RecordingStatus status, List<SegmentRef> segments) {
    }

    private final RecordingSessionRepository sessions;

    RecordingStore(RecordingSessionRepository sessions) {
        this.sessions = sessions;
    }

    @Transactional
    long create(String app, String stream, String keyLabel, long publisherSessionId, RecordingTrigger trigger,
                RecordingMode mode, Instant startedAt) {
        return sessions.save(new RecordingSession(app, stream, keyLabel, publisherSessionId, trigger, mode, startedAt))
                .getId();
    }

    @Transactional
    void addSegment(long sessionId, int seq, String path, long firstTimestamp, Instant startedAt) {
        RecordingSession session = sessions.findById(sessionId).orElseThrow(() -> gone(sessionId));
        session.getSegments().add(new RecordingSegment(session, seq, path, firstTimestamp, startedAt));
    }

    @Transactional
    void completeSegment(long sessionId, FlvRecorderSegment done, Instant at) {
        RecordingSession session = sessions.findById(sessionId).orElseThrow(() -> gone(sessionId));
        session.getSegments().stream().filter(s -> s.getSeq() == done.index()).findFirst()
                .orElseThrow(() -> new IllegalStateException("recording " + sessionId + " has no segment " + done.index()))
                .complete(done, at);
        session.updateTotals();
    }

    @Transactional
    void removeSegment(long sessionId, int seq) {
        sessions.findById(sessionId).ifPresent(session -> {
            session.getSegments().removeIf(s -> s.getSeq() == seq);
            session.updateTotals();
        });
    }

    @Transactional
    void end(long sessionId, RecordingStatus status, String reason, Instant at) {
        sessions.findById(sessionId).ifPresent(s -> s.end(status, reason, at));
    }

    @Transactional(readOnly = true)
    List<Long> idsWithStatus(RecordingStatus status) {
        return sessions.findIdsByStatus(status);
    }

    @Transactional(readOnly = true)
    List<RecordingUsage> usageOldestFirst() {
        return sessions.findUsageOldestFirst();
    }

    @Transactional(readOnly = true)
    Optional<SessionFiles> files(long id) {
        return sessions.findById(id).map(s -> new SessionFiles(s.getId(), s.getApp(), s.getStream(), s.getKeyLabel(),
                s.getPublisherSessionId(), s.getStatus(), s.getSegments().stream()
                .map(g -> new SegmentRef(g.getSeq(), g.getPath(), g.isComplete(), g.getFirstTimestamp())).toList()));
    }

    @Transactional
    boolean delete(long id) {
        if (!sessions.existsById(id)) {
            return false;
        }
        sessions.deleteById(id);
        return true;
    }

    @Transactional(readOnly = true)
    RecordingPage list(String app, String stream, String keyLabel, RecordingStatus status, Instant from, Instant to,
                       int page, int size) {
        Page<RecordingSession> found = sessions.findAll(
                RecordingSessionRepository.filter(app, stream, keyLabel, status, from, to),
                PageRequest.of(page, size, Sort.by(Sort.Order.desc("startedAt"), Sort.Order.desc("id"))));
        return new RecordingPage(found.getContent().stream().map(RecordingStore::summary).toList(), page, size,
                found.getTotalElements(), found.getTotalPages());
    }

    @Transactional(readOnly = true)
    Optional<RecordingDetail> detail(long id) {
        return sessions.findById(id).map(s -> new RecordingDetail(summary(s),
                s.getSegments().stream().map(g -> segment(s.getId(), g)).toList()));
    }

    static RecordingSummary summary(RecordingSession s) {
        return new RecordingSummary(s.getId(), s.getApp(), s.getStream(), s.getKeyLabel(), s.getPublisherSessionId(),
                s.getTrigger(), s.getMode(), s.getStatus(), s.getReason(), s.getStartedAt(), s.getEndedAt(),
                s.getSizeBytes(), s.getDurationMillis() / 1000.0, s.getSegments().size());
    }

    private static SegmentView segment(long sessionId, RecordingSegment g) {
        return new SegmentView(g.getSeq(), g.getPath(), g.isComplete(), g.getSizeBytes(), g.getDurationMillis() / 1000.0,
                g.getFirstTimestamp(), g.getLastTimestamp(), g.getKeyframes(), g.getVideoCodec(), g.getAudioCodec(),
                g.getWidth(), g.getHeight(), g.getStartedAt(), g.getEndedAt(),
                "/api/recordings/" + sessionId + "/segments/" + g.getSeq() + "/file");
    }

    private static IllegalStateException gone(long id) {
        return new IllegalStateException("recording " + id + " is no longer in the database");
    }
}
