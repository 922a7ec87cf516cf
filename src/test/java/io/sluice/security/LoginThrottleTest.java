package io.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.SluiceSpringTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

/** Password guessing is slowed down: after five failures the address must wait. */
@SluiceSpringTest
@TestPropertySource(properties = "sluice.test.context=login-throttle") // its own context: fresh failure counts
class LoginThrottleTest {
    @Autowired
    TestRestTemplate rest;

    @Test
    void repeatedFailuresAreAnswered429WithRetryAfter() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES + 1; i++) {
            assertThat(rest.withBasicAuth("admin", "guess" + i).getForEntity("/api/streams", String.class)
                    .getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        }
        ResponseEntity<String> blocked = rest.withBasicAuth("admin", "admin-password")
                .getForEntity("/api/streams", String.class);
        assertThat(blocked.getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(blocked.getHeaders().getFirst("Retry-After")).isNotNull();
        assertThat(blocked.getBody()).contains("Too many failed sign-ins");
    }
}
