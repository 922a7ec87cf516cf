package io.sluice.recording;

import io.sluice.engine.flv.FlvRecorderSegment;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

/** One file of a recording. Its path is relative to the data directory; until complete it is written as path + ".part". */
@Entity
@Table(name = "recording_segment")
class RecordingSegment {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "session_id", nullable = false)
    private RecordingSession session;

    @Column(nullable = false)
    private int seq;

    @Column(nullable = false, length = 1000)
    private String path;

    @Column(nullable = false)
    private boolean complete;

    @Column(name = "size_bytes", nullable = false)
    private long sizeBytes;

    @Column(name = "duration_ms", nullable = false)
    private long durationMillis;

    @Column(name = "first_timestamp", nullable = false)
    private long firstTimestamp;

    @Column(name = "last_timestamp", nullable = false)
    private long lastTimestamp;

    @Column(nullable = false)
    private int keyframes;

    @Column(name = "video_codec", length = 32)
    private String videoCodec;

    @Column(name = "audio_codec", length = 32)
    private String audioCodec;

    @Column(nullable = false)
    private int width;

    @Column(nullable = false)
    private int height;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "ended_at")
    private Instant endedAt;

    protected RecordingSegment() {
    }

    RecordingSegment(RecordingSession session, int seq, String path, long firstTimestamp, Instant startedAt) {
        this.session = session;
        this.seq = seq;
        this.path = path;
        this.firstTimestamp = firstTimestamp;
        this.lastTimestamp = firstTimestamp;
        this.startedAt = startedAt;
    }

    /** The file is finished: what the recorder (or the repair) found in it. */
    void complete(FlvRecorderSegment done, Instant at) {
        complete = true;
        sizeBytes = done.sizeBytes();
        durationMillis = done.durationMillis();
        lastTimestamp = done.lastTimestamp();
        keyframes = done.keyframes();
        videoCodec = truncate(done.videoCodec());
        audioCodec = truncate(done.audioCodec());
        width = done.width();
        height = done.height();
        endedAt = at;
    }

    private static String truncate(String codec) {
        return codec == null || codec.length() <= 32 ? codec : codec.substring(0, 32);
    }

    Long getId() {
        return id;
    }

    RecordingSession getSession() {
        return session;
    }

    int getSeq() {
        return seq;
    }

    String getPath() {
        return path;
    }

    boolean isComplete() {
        return complete;
    }

    long getSizeBytes() {
        return sizeBytes;
    }

    long getDurationMillis() {
        return durationMillis;
    }

    long getFirstTimestamp() {
        return firstTimestamp;
    }

    long getLastTimestamp() {
        return lastTimestamp;
    }

    int getKeyframes() {
        return keyframes;
    }

    String getVideoCodec() {
        return videoCodec;
    }

    String getAudioCodec() {
        return audioCodec;
    }

    int getWidth() {
        return width;
    }

    int getHeight() {
        return height;
    }

    Instant getStartedAt() {
        return startedAt;
    }

    Instant getEndedAt() {
        return endedAt;
    }
}
