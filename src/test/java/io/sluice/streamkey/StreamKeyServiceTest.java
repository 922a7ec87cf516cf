package io.sluice.streamkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.streamkey.StreamKeyDtos.CreateKeyRequest;
import io.sluice.streamkey.StreamKeyDtos.IssuedPlayToken;
import io.sluice.streamkey.StreamKeyDtos.IssuedSecret;
import io.sluice.streamkey.StreamKeyDtos.KeyState;
import io.sluice.streamkey.StreamKeyDtos.KeyView;
import io.sluice.streamkey.StreamKeyDtos.UpdateKeyRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.orm.jpa.DataJpaTest;
import org.springframework.boot.test.autoconfigure.orm.jpa.TestEntityManager;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;

@DataJpaTest
@Import({StreamKeyService.class, LivePublishes.class, PlayTokens.class, ServerSecrets.class})
class StreamKeyServiceTest {

    @Autowired
    StreamKeyService service;

    @Autowired
    StreamKeyRepository repository;

    @Autowired
    PlayTokens playTokens;

    @Autowired
    ServerSecretRepository serverSecrets;

    @Autowired
    TestEntityManager em;

    private static CreateKeyRequest create(String label) {
        return new CreateKeyRequest(label, null, null, null, null, null, null, null);
    }

    @Test
    void createsAKeyWithDefaultsAndStoresOnlyTheSecretsHash() {
        IssuedSecret issued = service.create(create("Main camera"));
        KeyView key = issued.key();
        assertThat(issued.secret()).hasSize(32).matches(StreamKeyDtos.NAME_PATTERN);
        assertThat(key.label()).isEqualTo("Main camera");
        assertThat(key.app()).isEqualTo("live");
        assertThat(key.publicName()).isEqualTo("main-camera");
        assertThat(key.secretPrefix()).isEqualTo(issued.secret().substring(0, 4) + "…");
        assertThat(key.enabled()).isTrue();
        assertThat(key.state()).isEqualTo(KeyState.ACTIVE);
        assertThat(key.autoRecord()).isFalse();
        assertThat(key.maxPublishers()).isEqualTo(1);
        assertThat(key.createdAt()).isNotNull().isEqualTo(key.updatedAt());
        assertThat(key.lastUsedAt()).isNull();

        em.flush();
        em.clear();
        List<?> rows = em.getEntityManager().createNativeQuery("select * from stream_key").getResultList();
        assertThat(rows).hasSize(1);
        assertThat(Arrays.stream((Object[]) rows.get(0)).map(String::valueOf))
                .noneMatch(v -> v.contains(issued.secret()))
                .contains(KeySecrets.hash(issued.secret()));
    }

    @Test
    void aDerivedPublicNameIsMadeUniqueAnExplicitOneConflicts() {
        assertThat(service.create(create("Main camera")).key().publicName()).isEqualTo("main-camera");
        assertThat(service.create(create("Main  Camera!")).key().publicName()).isEqualTo("main-camera-2");
        assertThat(service.create(new CreateKeyRequest("x", "studio", "main-camera", null, null, null, null, null))
                .key().publicName()).isEqualTo("main-camera");
        assertThatThrownBy(() -> service.create(new CreateKeyRequest("x", "live", "main-camera", null, null, null,
                null, null)))
                .isInstanceOfSatisfying(StreamKeyProblem.class, p -> {
                    assertThat(p.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
                    assertThat(p.getBody().getDetail()).contains("main-camera");
                });
    }

    @Test
    void theWindowMustEndAfterItStarts() {
        Instant t = Instant.parse("2030-01-01T00:00:00Z");
        assertThatThrownBy(() -> service.create(new CreateKeyRequest("x", null, null, null, t, t, null, null)))
                .isInstanceOfSatisfying(StreamKeyProblem.class, p -> {
                    assertThat(p.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(p.getBody().getProperties()).containsKey("errors");
                    assertThat(p.getBody().getDetail()).isEqualTo("Invalid request: notAfter must be after notBefore.");
                });
        KeyView future = service.create(new CreateKeyRequest("x", null, null, null, t, null, null, null)).key();
        assertThat(future.state()).isEqualTo(KeyState.NOT_YET_VALID);
    }

    @Test
    void updateReplacesTheSettingsAndKeepsThePublicNameWhenNotGiven() {
        KeyView a = service.create(create("A")).key();
        KeyView b = service.create(create("B")).key();
        Instant until = Instant.parse("2000-01-01T00:00:00Z");
        KeyView updated = service.update(a.id(), new UpdateKeyRequest("A renamed", null, true, null, until, true, 3));
        assertThat(updated.label()).isEqualTo("A renamed");
        assertThat(updated.publicName()).isEqualTo("a");
        assertThat(updated.autoRecord()).isTrue();
        assertThat(updated.maxPublishers()).isEqualTo(3);
        assertThat(updated.notAfter()).isEqualTo(until);
        assertThat(updated.state()).isEqualTo(KeyState.EXPIRED);
        assertThat(service.update(a.id(), new UpdateKeyRequest("A", "a", false, null, null, false, 1)).state())
                .isEqualTo(KeyState.DISABLED);
        assertThat(service.update(a.id(), new UpdateKeyRequest("A", "a-new", true, null, null, false, 1)).publicName())
                .isEqualTo("a-new");
        assertThatThrownBy(() -> service.update(a.id(), new UpdateKeyRequest("A", b.publicName(), true, null, null,
                false, 1))).isInstanceOfSatisfying(StreamKeyProblem.class,
                p -> assertThat(p.getStatusCode()).isEqualTo(HttpStatus.CONFLICT));
    }

    @Test
    void unknownIdsAreNotFound() {
        assertThatThrownBy(() -> service.get(424242)).isInstanceOfSatisfying(StreamKeyProblem.class,
                p -> assertThat(p.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND));
        assertThatThrownBy(() -> service.delete(424242)).isInstanceOf(StreamKeyProblem.class);
        assertThatThrownBy(() -> service.rotate(424242, Duration.ZERO)).isInstanceOf(StreamKeyProblem.class);
        assertThatThrownBy(() -> service.setEnabled(424242, false)).isInstanceOf(StreamKeyProblem.class);
    }

    @Test
    void rotationKeepsTheOldSecretForTheGracePeriodOnly() {
        IssuedSecret first = service.create(create("Main"));
        IssuedSecret second = service.rotate(first.key().id(), Duration.ofMinutes(5));
        assertThat(second.secret()).isNotEqualTo(first.secret());
        assertThat(second.key().secretPrefix()).isEqualTo(second.secret().substring(0, 4) + "…");
        assertThat(second.key().previousSecretValidUntil()).isAfter(Instant.now().plusSeconds(290));
        StreamKey stored = repository.findById(first.key().id()).orElseThrow();
        assertThat(stored.getSecretHash()).isEqualTo(KeySecrets.hash(second.secret()));
        assertThat(stored.getPreviousSecretHash()).isEqualTo(KeySecrets.hash(first.secret()));

        IssuedSecret third = service.rotate(first.key().id(), Duration.ZERO);
        assertThat(third.key().previousSecretValidUntil()).isNull();
        stored = repository.findById(first.key().id()).orElseThrow();
        assertThat(stored.getPreviousSecretHash()).isNull();
    }

    @Test
    void enableDisableAndDisableByPublicName() {
        KeyView k = service.create(create("Main")).key();
        assertThat(service.setEnabled(k.id(), false).enabled()).isFalse();
        assertThat(service.setEnabled(k.id(), true).enabled()).isTrue();
        assertThat(service.disableKeyOf("live", "main")).isTrue();
        assertThat(service.get(k.id()).enabled()).isFalse();
        assertThat(service.disableKeyOf("live", "nothing")).isFalse();
    }

    @Test
    void deleteRemovesTheKey() {
        KeyView k = service.create(create("Main")).key();
        service.delete(k.id());
        assertThat(repository.findById(k.id())).isEmpty();
    }

    @Test
    void listFiltersAndPages() {
        for (int i = 0; i < 3; i++) {
            service.create(create("Camera " + i));
        }
        service.create(create("Microphone"));
        var page = service.list("camera", null, null, 0, 2);
        assertThat(page.totalItems()).isEqualTo(3);
        assertThat(page.totalPages()).isEqualTo(2);
        assertThat(page.items()).hasSize(2);
        assertThat(service.list(null, "live", true, 0, 20).items()).hasSize(4);
        assertThat(service.list(null, "studio", null, 0, 20).items()).isEmpty();
    }

    @Test
    void playTokensAreSignedWithOneServerSecretCreatedOnFirstUse() {
        KeyView k = service.create(create("Main")).key();
        IssuedPlayToken token = service.issuePlayToken(k.id(), Duration.ofSeconds(600));
        assertThat(token.app()).isEqualTo("live");
        assertThat(token.publicName()).isEqualTo("main");
        assertThat(token.expiresAt()).isBetween(Instant.now().plusSeconds(590), Instant.now().plusSeconds(601));
        assertThat(playTokens.verify("live", "main", token.token(), Instant.now())).isEqualTo(PlayTokens.Verdict.VALID);
        service.issuePlayToken(k.id(), Duration.ofSeconds(600));
        assertThat(serverSecrets.findAll()).hasSize(1)
                .allSatisfy(s -> assertThat(s.getName()).isEqualTo(ServerSecrets.PLAY_TOKEN_KEY));
    }
}
