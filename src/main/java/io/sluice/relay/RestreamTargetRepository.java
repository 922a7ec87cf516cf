package io.sluice.relay;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface RestreamTargetRepository extends JpaRepository<RestreamTarget, Long> {

    List<RestreamTarget> findByStreamKeyIdOrderById(long streamKeyId);

    List<RestreamTarget> findByStreamKeyIdAndEnabledTrueOrderById(long streamKeyId);

    Optional<RestreamTarget> findByIdAndStreamKeyId(long id, long streamKeyId);

    /** Whether the stream key exists (its entity belongs to the streamkey package). */
    @Query(value = "SELECT COUNT(*) FROM stream_key WHERE id = :id", nativeQuery = true)
    long countStreamKeys(@Param("id") long id);
}
