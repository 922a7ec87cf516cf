package io.sluice.recording;

import jakarta.persistence.criteria.Predicate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface RecordingSessionRepository extends JpaRepository<RecordingSession, Long>,
        JpaSpecificationExecutor<RecordingSession> {

    @Query("select s.id from RecordingSession s where s.status = :status order by s.id")
    List<Long> findIdsByStatus(@Param("status") RecordingStatus status);

    /** For retention: every recording, oldest first. */
    @Query("select new io.sluice.recording.RecordingUsage(s.id, s.status, s.startedAt, s.endedAt, s.sizeBytes) "
            + "from RecordingSession s order by s.startedAt, s.id")
    List<RecordingUsage> findUsageOldestFirst();

    /** The list filters; null means any. {@code from}/{@code to} bound the start time (from inclusive, to exclusive). */
    static Specification<RecordingSession> filter(String app, String stream, String keyLabel, RecordingStatus status,
                                                  Instant from, Instant to) {
        return (root, query, cb) -> {
            List<Predicate> where = new ArrayList<>();
            if (app != null && !app.isBlank()) {
                where.add(cb.equal(root.get("app"), app.trim()));
            }
            if (stream != null && !stream.isBlank()) {
                where.add(cb.equal(root.get("stream"), stream.trim()));
            }
            if (keyLabel != null && !keyLabel.isBlank()) {
                where.add(cb.equal(root.get("keyLabel"), keyLabel.trim()));
            }
            if (status != null) {
                where.add(cb.equal(root.get("status"), status));
            }
            if (from != null) {
                where.add(cb.greaterThanOrEqualTo(root.get("startedAt"), from));
            }
            if (to != null) {
                where.add(cb.lessThan(root.get("startedAt"), to));
            }
            return cb.and(where.toArray(Predicate[]::new));
        };
    }
}
