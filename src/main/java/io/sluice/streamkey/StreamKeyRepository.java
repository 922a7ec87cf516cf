package io.sluice.streamkey;

import jakarta.persistence.criteria.Predicate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

interface StreamKeyRepository extends JpaRepository<StreamKey, Long>, JpaSpecificationExecutor<StreamKey> {

    /** The keys whose current or previous secret has this hash (at most one unless SHA-256 collides). */
    @Query("select k from StreamKey k where k.secretHash = :hash or k.previousSecretHash = :hash")
    List<StreamKey> findBySecretHashOrPreviousSecretHash(@Param("hash") String hash);

    Optional<StreamKey> findByAppAndPublicName(String app, String publicName);

    boolean existsByAppAndPublicName(String app, String publicName);

    boolean existsByAppAndPublicNameAndIdNot(String app, String publicName, Long id);

    /** Records an allowed publish without touching {@code updatedAt} (a use is not an edit). */
    @Modifying
    @Transactional
    @Query("update StreamKey k set k.lastUsedAt = :at, k.lastUsedAddress = :address where k.id = :id")
    int markUsed(@Param("id") long id, @Param("at") Instant at, @Param("address") String address);

    /** The list filters: label contains (case-insensitive), app equals, enabled equals; null means any. */
    static Specification<StreamKey> filter(String label, String app, Boolean enabled) {
        return (root, query, cb) -> {
            List<Predicate> where = new ArrayList<>();
            if (label != null && !label.isBlank()) {
                String pattern = "%" + escapeLike(label.trim().toLowerCase(Locale.ROOT)) + "%";
                where.add(cb.like(cb.lower(root.get("label")), pattern, '\\'));
            }
            if (app != null && !app.isBlank()) {
                where.add(cb.equal(root.get("app"), app.trim()));
            }
            if (enabled != null) {
                where.add(cb.equal(root.get("enabled"), enabled));
            }
            return cb.and(where.toArray(Predicate[]::new));
        };
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
