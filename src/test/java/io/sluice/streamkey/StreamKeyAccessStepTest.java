package io.sluice.streamkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.sluice.engine.spi.AccessDecision;
import io.sluice.engine.spi.AccessDecision.Reason;
import io.sluice.engine.spi.AccessRequest;
import io.sluice.engine.spi.AccessRequest.Action;
import io.sluice.engine.spi.SessionInfo;
import io.sluice.streamkey.StreamKeyProperties.PlayPolicy;
import io.sluice.streamkey.StreamKeyProperties.PublishPolicy;
import io.sluice.testing.MutableClock;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.test.util.ReflectionTestUtils;

@ExtendWith(OutputCaptureExtension.class)
class StreamKeyAccessStepTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final String SECRET = "q3ZxSecretSecretSecretSecret0123";

    private final StreamKeyRepository repository = mock(StreamKeyRepository.class);
    private final LivePublishes live = new LivePublishes();
    private final MutableClock clock = new MutableClock(T0);
    private final PlayTokens playTokens = new PlayTokens(() -> "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private final Set<Long> aliveSessions = new HashSet<>();
    private final AtomicReference<Thread> checkThread = new AtomicReference<>();
    private final Executor executor = r -> {
        checkThread.set(Thread.currentThread());
        r.run();
    };
    /** Delayed attempts wait here until a test runs them. */
    private final List<Runnable> delayed = new CopyOnWriteArrayList<>();
    private final List<Duration> delaysAsked = new CopyOnWriteArrayList<>();
    private final Function<Duration, Executor> delays = d -> r -> {
        delaysAsked.add(d);
        delayed.add(r);
    };
    private StreamKey key;

    @BeforeEach
    void oneKey() {
        key = key(7L, SECRET, "live", "main-camera");
        when(repository.findBySecretHashOrPreviousSecretHash(anyString())).thenReturn(List.of());
        when(repository.findBySecretHashOrPreviousSecretHash(KeySecrets.hash(SECRET))).thenReturn(List.of(key));
    }

    private static StreamKey key(long id, String secret, String app, String publicName) {
        StreamKey k = new StreamKey("Main camera", app, publicName, KeySecrets.hash(secret),
                KeySecrets.displayPrefix(secret), T0.minusSeconds(86400));
        ReflectionTestUtils.setField(k, "id", id);
        return k;
    }

    private StreamKeyAccessStep step(StreamKeyProperties properties) {
        return new StreamKeyAccessStep(repository, live, executor, properties, playTokens, aliveSessions::contains,
                clock, delays);
    }

    private StreamKeyAccessStep step() {
        return step(StreamKeyProperties.defaults());
    }

    private static AccessRequest request(Action action, long session, String app, String name, String query) {
        return request(action, session, app, name, query, "203.0.113.9");
    }

    private static AccessRequest request(Action action, long session, String app, String name, String query,
                                         String address) {
        Map<String, String> params = query.isEmpty() ? Map.of() : Map.of(query.substring(0, query.indexOf('=')),
                query.substring(query.indexOf('=') + 1));
        return new AccessRequest(action, session, new InetSocketAddress(address, 50000), app, name, query,
                params, "rtmp://example/" + app, "FMLE/3.0", "", "", action == Action.PUBLISH ? "live" : "");
    }

    private AccessDecision publish(long session, String name) throws Exception {
        aliveSessions.add(session);
        return step().check(request(Action.PUBLISH, session, "live", name, ""), AccessDecision.allow())
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void connectIsAllowedWithoutALookup() throws Exception {
        AccessDecision d = step().check(request(Action.CONNECT, 1, "live", "", ""), AccessDecision.allow())
                .toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertThat(d.allowed()).isTrue();
        assertThat(checkThread.get()).isNull();
    }

    @Test
    void aValidKeyPublishesUnderItsPublicNameAndRecordsItsUse() throws Exception {
        ReflectionTestUtils.setField(key, "autoRecord", true);
        AccessDecision d = publish(1, SECRET);
        assertThat(d).isEqualTo(AccessDecision.allowAs("main-camera", true, "Main camera"));
        assertThat(checkThread.get()).as("the look-up ran on the executor").isNotNull();
        verify(repository).markUsed(7L, T0, "203.0.113.9");
        assertThat(live.countFor(7L)).isEqualTo(1);
    }

    @Test
    void unknownKeysAndKeysOfAnotherAppAreUnauthorized(CapturedOutput output) throws Exception {
        assertThat(publish(1, "nope-not-a-key")).isEqualTo(AccessDecision.deny(Reason.UNAUTHORIZED, "Unknown stream key."));
        aliveSessions.add(2L);
        AccessDecision otherApp = step().check(request(Action.PUBLISH, 2, "studio", SECRET, ""), AccessDecision.allow())
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(otherApp).isEqualTo(AccessDecision.deny(Reason.UNAUTHORIZED, "Unknown stream key."));
        verify(repository, never()).markUsed(anyLong(), any(), any());
        assertThat(output).contains("publish refused: stream key nop… to app 'live' from 203.0.113.9")
                .contains("publish refused: stream key q3Zx… to app 'studio'")
                .doesNotContain(SECRET).doesNotContain("nope-not-a-key");
    }

    @Test
    void disabledKeysAreUnauthorized(CapturedOutput output) throws Exception {
        key.setEnabled(false, T0);
        assertThat(publish(1, SECRET)).isEqualTo(AccessDecision.deny(Reason.UNAUTHORIZED, "Stream key is disabled."));
        assertThat(output).contains("q3Zx…").doesNotContain(SECRET);
        assertThat(output.toString().lines().filter(l -> l.contains("publish refused"))).hasSize(1);
    }

    @Test
    void keysOutsideTheirWindowAreUnauthorized() throws Exception {
        key.update(key.getLabel(), key.getPublicName(), true, T0.plusSeconds(60), T0.plusSeconds(120), false, 1, T0);
        assertThat(publish(1, SECRET)).isEqualTo(AccessDecision.deny(Reason.UNAUTHORIZED,
                "Stream key is not valid until 2025-06-01T12:01:00Z."));
        clock.advance(Duration.ofSeconds(60));
        assertThat(publish(2, SECRET).allowed()).isTrue();
        clock.advance(Duration.ofSeconds(60));
        assertThat(publish(3, SECRET)).isEqualTo(AccessDecision.deny(Reason.UNAUTHORIZED,
                "Stream key is not valid after 2025-06-01T12:02:00Z."));
    }

    @Test
    void theOldSecretWorksDuringTheGracePeriodOnly() throws Exception {
        String newSecret = "n3wSecretSecretSecretSecret01234";
        key.rotate(KeySecrets.hash(newSecret), KeySecrets.displayPrefix(newSecret), T0.plusSeconds(30), T0);
        when(repository.findBySecretHashOrPreviousSecretHash(KeySecrets.hash(newSecret))).thenReturn(List.of(key));
        ReflectionTestUtils.setField(key, "maxPublishers", 5);
        assertThat(publish(1, SECRET).allowed()).isTrue();
        assertThat(publish(2, newSecret).allowed()).isTrue();
        clock.advance(Duration.ofSeconds(30));
        assertThat(publish(3, SECRET)).isEqualTo(AccessDecision.deny(Reason.UNAUTHORIZED, "Unknown stream key."));
        assertThat(publish(4, newSecret).allowed()).isTrue();
    }

    @Test
    void maxPublishersCountsLivePublishesUntilTheyEnd() throws Exception {
        assertThat(publish(1, SECRET).allowed()).isTrue();
        assertThat(publish(2, SECRET)).isEqualTo(AccessDecision.deny(Reason.BUSY,
                "Stream key is already in use (at most 1 publisher)."));
        live.publishEnded(new SessionInfo(1, null, SessionInfo.Role.PUBLISHER, "live", "main-camera", T0, 0, 0, "", "", ""));
        assertThat(publish(3, SECRET).allowed()).isTrue();
        live.disconnected(new SessionInfo(3, null, SessionInfo.Role.PUBLISHER, "live", "main-camera", T0, 0, 0, "", "", ""));
        assertThat(publish(4, SECRET).allowed()).isTrue();
        // a session that vanished without telling (closed while its check ran) does not count
        aliveSessions.remove(4L);
        assertThat(publish(5, SECRET).allowed()).isTrue();
        ReflectionTestUtils.setField(key, "maxPublishers", 2);
        assertThat(publish(6, SECRET).allowed()).isTrue();
        assertThat(publish(7, SECRET).reason()).isEqualTo(Reason.BUSY);
    }

    @Test
    void openPublishingLetsAnyNameThroughButReservesPublicNames() throws Exception {
        when(repository.existsByAppAndPublicName("live", "main-camera")).thenReturn(true);
        StreamKeyAccessStep open = step(new StreamKeyProperties(Map.of("live", PublishPolicy.OPEN), PublishPolicy.KEY,
                Map.of(), PlayPolicy.OPEN, StreamKeyProperties.Throttle.DEFAULT));
        AccessDecision soFar = AccessDecision.allow();
        aliveSessions.add(1L);
        assertThat(open.check(request(Action.PUBLISH, 1, "live", "anything", ""), soFar).toCompletableFuture()
                .get(5, TimeUnit.SECONDS)).isSameAs(soFar);
        assertThat(open.check(request(Action.PUBLISH, 1, "live", "main-camera", ""), soFar).toCompletableFuture()
                .get(5, TimeUnit.SECONDS)).isEqualTo(AccessDecision.deny(Reason.UNAUTHORIZED,
                "This stream name is reserved for a stream key."));
        assertThat(open.check(request(Action.PUBLISH, 1, "live", SECRET, ""), soFar).toCompletableFuture()
                .get(5, TimeUnit.SECONDS)).isEqualTo(AccessDecision.allowAs("main-camera", false, "Main camera"));
        // other apps keep the default: a key is needed
        assertThat(open.check(request(Action.PUBLISH, 1, "studio", "anything", ""), soFar).toCompletableFuture()
                .get(5, TimeUnit.SECONDS).reason()).isEqualTo(Reason.UNAUTHORIZED);
    }

    @Test
    void playIsOpenByDefaultAndNeedsAValidTokenWhereTheAppSaysSo() throws Exception {
        AccessDecision soFar = AccessDecision.allow();
        assertThat(step().check(request(Action.PLAY, 1, "live", "main-camera", ""), soFar).toCompletableFuture()
                .get(1, TimeUnit.SECONDS)).isSameAs(soFar);
        StreamKeyAccessStep tokens = step(new StreamKeyProperties(Map.of(), PublishPolicy.KEY,
                Map.of("live", PlayPolicy.TOKEN), PlayPolicy.OPEN, StreamKeyProperties.Throttle.DEFAULT));
        String valid = playTokens.issue("live", "main-camera", T0.plusSeconds(60));
        assertThat(play(tokens, "main-camera", "token=" + valid)).isEqualTo(soFar);
        assertThat(play(tokens, "main-camera", "")).isEqualTo(AccessDecision.deny(Reason.UNAUTHORIZED,
                "A play token is required (?token=...)."));
        assertThat(play(tokens, "other", "token=" + valid)).isEqualTo(AccessDecision.deny(Reason.UNAUTHORIZED,
                "The play token is not valid for this stream."));
        assertThat(play(tokens, "main-camera", "token=garbage!")).isEqualTo(AccessDecision.deny(Reason.UNAUTHORIZED,
                "The play token is malformed."));
        clock.advance(Duration.ofSeconds(60));
        assertThat(play(tokens, "main-camera", "token=" + valid)).isEqualTo(AccessDecision.deny(Reason.UNAUTHORIZED,
                "The play token has expired."));
    }

    private AccessDecision play(StreamKeyAccessStep step, String name, String query) throws Exception {
        return step.check(request(Action.PLAY, 9, "live", name, query), AccessDecision.allow()).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    void aDatabaseFailureRefusesWithError(CapturedOutput output) throws Exception {
        when(repository.findBySecretHashOrPreviousSecretHash(anyString()))
                .thenThrow(new DataAccessResourceFailureException("database down"));
        assertThat(publish(1, SECRET)).isEqualTo(AccessDecision.deny(Reason.ERROR, "Stream key check failed."));
        assertThat(output).contains("stream key store unavailable, publish refused (fail closed): session 1 from 203.0.113.9")
                .doesNotContain(SECRET);
    }

    @Test
    void aFullExecutorRefusesAtOnceAsBusy() throws Exception {
        StreamKeyAccessStep busy = new StreamKeyAccessStep(repository, live, r -> {
            throw new RejectedExecutionException("full");
        }, StreamKeyProperties.defaults(), playTokens, id -> true, clock, delays);
        CompletableFuture<AccessDecision> d = busy.check(request(Action.PUBLISH, 1, "live", SECRET, ""),
                AccessDecision.allow()).toCompletableFuture();
        assertThat(d).isCompletedWithValue(AccessDecision.deny(Reason.BUSY, "Server busy, try again."));
    }

    @Test
    void anEarlierStepsRecordingWishIsKept() throws Exception {
        aliveSessions.add(1L);
        AccessDecision d = step().check(request(Action.PUBLISH, 1, "live", SECRET, ""),
                AccessDecision.allowAs(null, true, "from an earlier step")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(d).isEqualTo(AccessDecision.allowAs("main-camera", true, "Main camera"));
        verify(repository).markUsed(eq(7L), any(), any());
    }

    // ---- bad keys, per address ------------------------------------------------------------------

    private CompletableFuture<AccessDecision> attempt(StreamKeyAccessStep step, long session, String name,
                                                      String address) {
        aliveSessions.add(session);
        return step.check(request(Action.PUBLISH, session, "live", name, "", address), AccessDecision.allow())
                .toCompletableFuture();
    }

    private void runDelayed() {
        List<Runnable> due = List.copyOf(delayed);
        delayed.clear();
        due.forEach(Runnable::run);
    }

    @Test
    void badKeysFromOneAddressAreSlowedDownThenBlockedWithoutALookupUntilTheBlockEnds(CapturedOutput output)
            throws Exception {
        StreamKeyAccessStep step = step(new StreamKeyProperties(Map.of(), PublishPolicy.KEY, Map.of(), PlayPolicy.OPEN,
                new StreamKeyProperties.Throttle(2, Duration.ofSeconds(2), 4, Duration.ofMinutes(1),
                        Duration.ofMinutes(15), Duration.ofMinutes(15))));
        AccessDecision unknown = AccessDecision.deny(Reason.UNAUTHORIZED, "Unknown stream key.");
        String attacker = "198.51.100.7";
        for (int i = 1; i <= 3; i++) { // two free failures, and the attempt after them: answered at once
            assertThat(attempt(step, i, "guess-" + i, attacker)).isCompletedWithValue(unknown);
        }
        for (int i = 4; i <= 5; i++) { // then each answer waits for the delay
            CompletableFuture<AccessDecision> slowed = attempt(step, i, "guess-" + i, attacker);
            assertThat(slowed).as("attempt %d is delayed", i).isNotDone();
            runDelayed();
            assertThat(slowed).isCompletedWithValue(unknown);
        }
        assertThat(delaysAsked).containsOnly(Duration.ofSeconds(2)).hasSize(2);
        assertThat(output).contains("stream keys: 198.51.100.7 blocked for 60 s after 5 bad stream keys")
                .doesNotContain("guess-");

        // blocked: refused at once, even with the right key, and without a look-up
        verify(repository, org.mockito.Mockito.times(5)).findBySecretHashOrPreviousSecretHash(anyString());
        CompletableFuture<AccessDecision> blocked = attempt(step, 6, SECRET, attacker);
        assertThat(blocked).isDone();
        assertThat(blocked.get().reason()).isEqualTo(Reason.THROTTLED);
        assertThat(blocked.get().description()).isEqualTo("Too many bad stream keys from this address; try again in 60 s.");
        verify(repository, org.mockito.Mockito.times(5)).findBySecretHashOrPreviousSecretHash(anyString());

        // another address is not affected
        assertThat(attempt(step, 7, SECRET, "203.0.113.50")).isCompletedWithValue(
                AccessDecision.allowAs("main-camera", false, "Main camera"));
        live.forgetSession(7L);

        // after the block: slowed down still, and a valid key clears the address
        clock.advance(Duration.ofSeconds(61));
        CompletableFuture<AccessDecision> afterBlock = attempt(step, 8, SECRET, attacker);
        assertThat(afterBlock).isNotDone();
        runDelayed();
        assertThat(afterBlock.get().allowed()).isTrue();
        live.forgetSession(8L);
        assertThat(attempt(step, 9, "guess-again", attacker)).isCompletedWithValue(unknown);
    }

    @Test
    void aFailureAfterTheBlockBlocksTwiceAsLong() throws Exception {
        StreamKeyAccessStep step = step(new StreamKeyProperties(Map.of(), PublishPolicy.KEY, Map.of(), PlayPolicy.OPEN,
                new StreamKeyProperties.Throttle(0, Duration.ZERO, 1, Duration.ofMinutes(1),
                        Duration.ofMinutes(3), Duration.ofMinutes(15))));
        String attacker = "198.51.100.8";
        attempt(step, 1, "guess-1", attacker).get();
        attempt(step, 2, "guess-2", attacker).get(); // blocked for 1 minute
        assertThat(attempt(step, 3, "guess-3", attacker).get().reason()).isEqualTo(Reason.THROTTLED);
        clock.advance(Duration.ofSeconds(61));
        attempt(step, 4, "guess-4", attacker).get(); // 2 minutes
        clock.advance(Duration.ofSeconds(119));
        assertThat(attempt(step, 5, "guess-5", attacker).get().reason()).isEqualTo(Reason.THROTTLED);
        clock.advance(Duration.ofSeconds(2));
        attempt(step, 6, "guess-6", attacker).get(); // 4 minutes, capped at 3
        clock.advance(Duration.ofSeconds(179));
        assertThat(attempt(step, 7, "guess-7", attacker).get().reason()).isEqualTo(Reason.THROTTLED);
        clock.advance(Duration.ofSeconds(2));
        assertThat(attempt(step, 8, "guess-8", attacker).get().reason()).isEqualTo(Reason.UNAUTHORIZED);
        assertThat(delaysAsked).isEmpty();
    }
}
