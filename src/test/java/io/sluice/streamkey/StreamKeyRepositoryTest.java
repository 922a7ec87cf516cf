package io.sluice.streamkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.orm.jpa.DataJpaTest;
import org.springframework.boot.test.autoconfigure.orm.jpa.TestEntityManager;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/** The queries against the Flyway schema (Hibernate validates the mapping against it). */
@DataJpaTest
class StreamKeyRepositoryTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    @Autowired
    StreamKeyRepository repository;

    @Autowired
    TestEntityManager em;

    private StreamKey save(String label, String app, String publicName, String secret, boolean enabled, int minute) {
        StreamKey k = new StreamKey(label, app, publicName, KeySecrets.hash(secret), KeySecrets.displayPrefix(secret),
                T0.plusSeconds(60L * minute));
        k.setEnabled(enabled, k.getCreatedAt());
        return repository.saveAndFlush(k);
    }

    private List<String> names(String label, String app, Boolean enabled) {
        return repository.findAll(StreamKeyRepository.filter(label, app, enabled),
                PageRequest.of(0, 50, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"))))
                .map(StreamKey::getPublicName).getContent();
    }

    @Test
    void filtersByLabelAppAndEnabledNewestFirst() {
        save("Main camera", "live", "main", "s1", true, 1);
        save("Side CAMERA", "live", "side", "s2", false, 2);
        save("Studio mic", "studio", "mic", "s3", true, 3);
        save("100% off_sale", "live", "sale", "s4", true, 4);

        assertThat(names(null, null, null)).containsExactly("sale", "mic", "side", "main");
        assertThat(names("camera", null, null)).containsExactly("side", "main");
        assertThat(names("  CAMERA ", "live", true)).containsExactly("main");
        assertThat(names(null, "studio", null)).containsExactly("mic");
        assertThat(names(null, null, false)).containsExactly("side");
        assertThat(names("%", null, null)).as("LIKE wildcards are matched literally").containsExactly("sale");
        assertThat(names("_", null, null)).containsExactly("sale");
        assertThat(names("nothing", null, null)).isEmpty();
    }

    @Test
    void pagesAreCountedAndOrdered() {
        for (int i = 0; i < 5; i++) {
            save("k" + i, "live", "k" + i, "secret-" + i, true, i);
        }
        var page = repository.findAll(StreamKeyRepository.filter(null, null, null),
                PageRequest.of(1, 2, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"))));
        assertThat(page.getTotalElements()).isEqualTo(5);
        assertThat(page.getTotalPages()).isEqualTo(3);
        assertThat(page.map(StreamKey::getPublicName).getContent()).containsExactly("k2", "k1");
    }

    @Test
    void findsAKeyByTheHashOfItsCurrentOrPreviousSecret() {
        StreamKey k = save("Main", "live", "main", "old-secret", true, 0);
        save("Other", "live", "other", "other-secret", true, 0);
        assertThat(repository.findBySecretHashOrPreviousSecretHash(KeySecrets.hash("old-secret")))
                .extracting(StreamKey::getId).containsExactly(k.getId());
        assertThat(repository.findBySecretHashOrPreviousSecretHash(KeySecrets.hash("unknown"))).isEmpty();

        k.rotate(KeySecrets.hash("new-secret"), "new-…", T0.plusSeconds(30), T0);
        repository.saveAndFlush(k);
        em.clear();
        assertThat(repository.findBySecretHashOrPreviousSecretHash(KeySecrets.hash("new-secret")))
                .extracting(StreamKey::getId).containsExactly(k.getId());
        StreamKey byOld = repository.findBySecretHashOrPreviousSecretHash(KeySecrets.hash("old-secret")).get(0);
        assertThat(byOld.getId()).isEqualTo(k.getId());
        assertThat(byOld.getPreviousSecretExpiresAt()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void findsByPublicNameWithinAnApp() {
        StreamKey k = save("Main", "live", "main", "s1", true, 0);
        assertThat(repository.findByAppAndPublicName("live", "main")).map(StreamKey::getId).contains(k.getId());
        assertThat(repository.findByAppAndPublicName("studio", "main")).isEmpty();
        assertThat(repository.existsByAppAndPublicName("live", "main")).isTrue();
        assertThat(repository.existsByAppAndPublicNameAndIdNot("live", "main", k.getId())).isFalse();
        assertThat(repository.existsByAppAndPublicNameAndIdNot("live", "main", k.getId() + 1)).isTrue();
    }

    @Test
    void publicNamesAreUniquePerApp() {
        save("Main", "live", "main", "s1", true, 0);
        save("Main elsewhere", "studio", "main", "s2", true, 0);
        assertThatThrownBy(() -> save("Main again", "live", "main", "s3", true, 0))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void markUsedRecordsTheLastUseWithoutTouchingUpdatedAt() {
        StreamKey k = save("Main", "live", "main", "s1", true, 0);
        Instant used = T0.plusSeconds(3600);
        assertThat(repository.markUsed(k.getId(), used, "198.51.100.7")).isEqualTo(1);
        em.clear();
        StreamKey reloaded = repository.findById(k.getId()).orElseThrow();
        assertThat(reloaded.getLastUsedAt()).isEqualTo(used);
        assertThat(reloaded.getLastUsedAddress()).isEqualTo("198.51.100.7");
        assertThat(reloaded.getUpdatedAt()).isEqualTo(T0);
    }
}
