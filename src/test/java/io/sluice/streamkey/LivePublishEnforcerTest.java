package io.sluice.streamkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.sluice.engine.RtmpServer;
import io.sluice.engine.spi.SessionInfo;
import io.sluice.streamkey.LivePublishes.LivePublish;
import io.sluice.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.test.util.ReflectionTestUtils;

class LivePublishEnforcerTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final String SECRET = "q3ZxSecretSecretSecretSecret0123";

    private final StreamKeyRepository repository = mock(StreamKeyRepository.class);
    private final RtmpServer server = mock(RtmpServer.class);
    private final LivePublishes live = new LivePublishes();
    private final MutableClock clock = new MutableClock(T0);
    private final LivePublishEnforcer enforcer = new LivePublishEnforcer(live, repository, server, clock);
    private StreamKey key;
    private final LivePublish publish = new LivePublish(11, 7, "live", "main", KeySecrets.hash(SECRET));

    @BeforeEach
    void oneLivePublish() {
        key = new StreamKey("Main", "live", "main", KeySecrets.hash(SECRET), "q3Zx…", T0);
        ReflectionTestUtils.setField(key, "id", 7L);
        when(repository.findAllById(List.of(7L))).thenReturn(List.of(key));
        when(server.session(11)).thenReturn(Optional.of(new SessionInfo(11, null, SessionInfo.Role.PUBLISHER, "live",
                "main", T0, 0, 0, "", "", "Main")));
        assertThat(live.tryAdd(publish, 1, id -> true)).isTrue();
    }

    @Test
    void aValidKeyKeepsItsPublish() {
        enforcer.recheck();
        verify(server, never()).kick(anyLong(), anyString());
        assertThat(live.all()).containsExactly(publish);
    }

    @Test
    void disablingEndsThePublish() {
        key.setEnabled(false, T0);
        enforcer.recheck();
        verify(server).kick(11, "stream key disabled");
        assertThat(live.all()).isEmpty();
    }

    @Test
    void deletingEndsThePublish() {
        when(repository.findAllById(List.of(7L))).thenReturn(List.of());
        enforcer.recheck();
        verify(server).kick(11, "stream key deleted");
    }

    @Test
    void theEndOfTheWindowEndsThePublish() {
        key.update("Main", "main", true, null, T0.plusSeconds(10), false, 1, T0);
        enforcer.recheck();
        verify(server, never()).kick(anyLong(), anyString());
        clock.advance(Duration.ofSeconds(10));
        enforcer.recheck();
        verify(server).kick(11, "stream key outside its validity window");
    }

    @Test
    void rotationEndsThePublishOfTheOldSecretAfterTheGracePeriod() {
        key.rotate(KeySecrets.hash("new-secret"), "new-…", T0.plusSeconds(30), T0);
        enforcer.recheck();
        verify(server, never()).kick(anyLong(), anyString());
        clock.advance(Duration.ofSeconds(30));
        enforcer.recheck();
        verify(server).kick(11, "stream key rotated");
    }

    @Test
    void sessionsThatAreGoneAreForgotten() {
        when(server.session(11)).thenReturn(Optional.empty());
        enforcer.recheck();
        assertThat(live.all()).isEmpty();
        verify(server, never()).kick(anyLong(), anyString());
    }

    @Test
    void aDatabaseFailureCutsNothing() {
        when(repository.findAllById(List.of(7L))).thenThrow(new DataAccessResourceFailureException("down"));
        enforcer.recheck();
        verify(server, never()).kick(anyLong(), anyString());
        assertThat(live.all()).containsExactly(publish);
    }
}
