package io.sluice.recording;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One recorded publish of a stream: its files are its {@link RecordingSegment}s. */
@Entity
@Table(name = "recording_session")
class RecordingSession {

    static final int MAX_REASON = 1000;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 200)
    private String app;

    @Column(nullable = false, length = 200)
    private String stream;

    @Column(name = "key_label", length = 100)
    private String keyLabel;

    @Column(name = "publisher_session_id", nullable = false)
    private long publisherSessionId;

    @Enumerated(EnumType.STRING)
    @Column(name = "trigger_source", nullable = false, length = 16)
    private RecordingTrigger trigger;

    @Enumerated(EnumType.STRING)
    @Column(name = "record_mode", nullable = false, length = 16)
    private RecordingMode mode;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private RecordingStatus status;

    @Column(length = MAX_REASON)
    private String reason;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "ended_at")
    private Instant endedAt;

    @Column(name = "size_bytes", nullable = false)
    private long sizeBytes;

    @Column(name = "duration_ms", nullable = false)
    private long durationMillis;

    @OneToMany(mappedBy = "session", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("seq")
    private List<RecordingSegment> segments = new ArrayList<>();

    protected RecordingSession() {
    }

    RecordingSession(String app, String stream, String keyLabel, long publisherSessionId, RecordingTrigger trigger,
                     RecordingMode mode, Instant startedAt) {
        this.app = app;
        this.stream = stream;
        this.keyLabel = keyLabel;
        this.publisherSessionId = publisherSessionId;
        this.trigger = trigger;
        this.mode = mode;
        this.status = RecordingStatus.RECORDING;
        this.startedAt = startedAt;
    }

    void end(RecordingStatus newStatus, String why, Instant at) {
        status = newStatus;
        reason = why == null ? null : why.length() > MAX_REASON ? why.substring(0, MAX_REASON) : why;
        endedAt = at;
        updateTotals();
    }

    void updateTotals() {
        sizeBytes = segments.stream().mapToLong(RecordingSegment::getSizeBytes).sum();
        durationMillis = segments.stream().mapToLong(RecordingSegment::getDurationMillis).sum();
    }

    Long getId() {
        return id;
    }

    String getApp() {
        return app;
    }

    String getStream() {
        return stream;
    }

    String getKeyLabel() {
        return keyLabel;
    }

    long getPublisherSessionId() {
        return publisherSessionId;
    }

    RecordingTrigger getTrigger() {
        return trigger;
    }

    RecordingMode getMode() {
        return mode;
    }

    RecordingStatus getStatus() {
        return status;
    }

    String getReason() {
        return reason;
    }

    Instant getStartedAt() {
        return startedAt;
    }

    Instant getEndedAt() {
        return endedAt;
    }

    long getSizeBytes() {
        return sizeBytes;
    }

    long getDurationMillis() {
        return durationMillis;
    }

    List<RecordingSegment> getSegments() {
        return segments;
    }
}
