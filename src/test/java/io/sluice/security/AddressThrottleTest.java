package io.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AddressThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));

    private AddressThrottle throttle(int maxAddresses) {
        return new AddressThrottle(new AddressThrottle.Policy(1, Duration.ofSeconds(2), 2, Duration.ofMinutes(1),
                Duration.ofMinutes(10), Duration.ofMinutes(5), maxAddresses), clock);
    }

    @Test
    void failuresOlderThanTheWindowAreForgotten() {
        AddressThrottle throttle = throttle(10);
        throttle.failed("a");
        assertThat(throttle.failed("a").delayed()).isTrue();
        clock.advance(Duration.ofMinutes(6));
        assertThat(throttle.check("a")).isEqualTo(new AddressThrottle.Verdict(Duration.ZERO, Duration.ZERO, 0));
        assertThat(throttle.failed("a").failures()).as("counting starts over").isEqualTo(1);
    }

    @Test
    void aBlockOutlivesTheWindowAndASuccessClearsIt() {
        AddressThrottle throttle = new AddressThrottle(new AddressThrottle.Policy(0, Duration.ZERO, 0,
                Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMinutes(1), 10), clock);
        assertThat(throttle.failed("a").blockedFor()).isEqualTo(Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(5));
        assertThat(throttle.check("a").blockedFor()).isEqualTo(Duration.ofMinutes(5));
        throttle.succeeded("a");
        assertThat(throttle.check("a").blocked()).isFalse();
    }

    @Test
    void theTableIsBoundedAndKeepsBlockedAddressesOverIdleOnes() {
        AddressThrottle throttle = throttle(2);
        throttle.failed("blocked");
        throttle.failed("blocked");
        throttle.failed("blocked");
        throttle.failed("idle");
        assertThat(throttle.check("blocked").blocked()).isTrue();
        assertThat(throttle.failed("new").failures()).as("room made by dropping the unblocked entry").isEqualTo(1);
        assertThat(throttle.check("idle").failures()).isZero();
        throttle.failed("another");
        assertThat(throttle.check("blocked").blocked()).as("blocked entries stay").isTrue();
    }
}
