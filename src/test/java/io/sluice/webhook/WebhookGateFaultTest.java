package io.sluice.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.engine.spi.AccessDecision;
import io.sluice.engine.spi.AccessRequest;
import io.sluice.webhook.RawCallbackServer.Behaviour;
import io.sluice.webhook.WebhookProperties.FailurePolicy;
import io.sluice.webhook.WebhookProperties.Format;
import io.sluice.webhook.WebhookProperties.HookSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A callback server that is down, slow, or answers garbage: for every gate (connect, publish, play) the
 * decision is the hook's failure policy, it comes within the timeout (plus a small bound), and one log
 * line says what happened and what the policy made of it. Real local servers, no mocks.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60)
class WebhookGateFaultTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    /** Scheduling slack on a busy 2-core machine; the point is "bounded by the timeout", not speed. */
    private static final Duration SLACK = Duration.ofMillis(1500);

    /** A broken callback server. */
    enum Fault {
        DOWN("error", "cannot connect"),
        SLOW("timeout", "timed out after 500 ms"),
        NOT_HTTP("error", "I/O error"),
        ENDLESS_200("invalid reply", "reply larger than 64 KiB"),
        MALFORMED_JSON("invalid reply", "not valid JSON");

        final String outcome;
        final String detail;

        Fault(String outcome, String detail) {
            this.outcome = outcome;
            this.detail = detail;
        }

        /** The reply body is only read by JSON-format gates; nginx-format gates take any 2xx as yes. */
        boolean jsonOnly() {
            return this == ENDLESS_200 || this == MALFORMED_JSON;
        }
    }

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DeliveryLog deliveries = new DeliveryLog(50);
    private final WebhookSender sender = new WebhookSender(deliveries, meters);
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        sender.close();
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    static Stream<Arguments> faults() {
        List<Arguments> all = new ArrayList<>();
        for (Hook hook : new Hook[] {Hook.ON_CONNECT, Hook.ON_PUBLISH, Hook.ON_PLAY}) {
            for (Fault fault : Fault.values()) {
                for (Format format : Format.values()) {
                    if (format == Format.NGINX && fault.jsonOnly()) {
                        continue;
                    }
                    for (FailurePolicy policy : FailurePolicy.values()) {
                        all.add(Arguments.of(hook, fault, format, policy));
                    }
                }
            }
        }
        return all.stream();
    }

    private String urlFor(Fault fault) {
        return switch (fault) {
            case DOWN -> CallbackReceiver.refusingUrl("/gone");
            case SLOW -> serve(Behaviour.SILENT);
            case NOT_HTTP -> serve(Behaviour.NOT_HTTP);
            case ENDLESS_200 -> serve(Behaviour.ENDLESS_200);
            case MALFORMED_JSON -> serve(Behaviour.MALFORMED_JSON);
        };
    }

    private String serve(Behaviour behaviour) {
        RawCallbackServer server = new RawCallbackServer(behaviour);
        servers.add(server);
        return server.url("/hook?token=hook-token-123456");
    }

    private static AccessRequest request(Hook hook) {
        AccessRequest.Action action = switch (hook) {
            case ON_CONNECT -> AccessRequest.Action.CONNECT;
            case ON_PLAY -> AccessRequest.Action.PLAY;
            default -> AccessRequest.Action.PUBLISH;
        };
        String name = action == AccessRequest.Action.CONNECT ? "" : "cam";
        return new AccessRequest(action, 42, new InetSocketAddress("192.0.2.10", 50123), "live", name, "", Map.of(),
                "rtmp://example.com/live", "FMLE/3.0", "", "", "live");
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("faults")
    void theFailurePolicyDecidesWithinTheTimeoutAndSaysSo(Hook hook, Fault fault, Format format, FailurePolicy policy,
                                                          CapturedOutput output) throws Exception {
        HookSettings settings = new HookSettings(urlFor(fault), format, TIMEOUT, policy, "callback-secret-xyz", 3,
                Duration.ofSeconds(1));
        WebhookGate gate = new WebhookGate(new WebhookProperties(Map.of(hook, settings), 50, 100), sender,
                new SessionMemory());
        AccessDecision soFar = AccessDecision.allowAs(hook == Hook.ON_CONNECT ? null : "cam", false, "label");

        long start = System.nanoTime();
        AccessDecision decision = gate.check(request(hook), soFar).toCompletableFuture()
                .get(TIMEOUT.plus(SLACK).toMillis() + 5000, TimeUnit.MILLISECONDS);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        if (policy == FailurePolicy.ALLOW) {
            assertThat(decision).isEqualTo(soFar);
        } else {
            assertThat(decision).isEqualTo(AccessDecision.deny(AccessDecision.Reason.UNAUTHORIZED,
                    "Refused by " + hook.hookName() + " callback: callback failed (" + fault.outcome + ")"));
        }
        assertThat(tookMs).as("decided within the timeout + slack").isLessThanOrEqualTo(TIMEOUT.plus(SLACK).toMillis());
        assertThat(deliveries.recent(1)).singleElement().satisfies(d -> {
            assertThat(d.outcome()).isEqualTo(fault.outcome.replace(' ', '_'));
            assertThat(d.error()).contains(fault.detail);
        });
        String policyWord = policy == FailurePolicy.ALLOW ? "allows" : "refuses";
        assertThat(output.getOut()).contains(hook.hookName() + " callback to http://127.0.0.1:")
                .contains("gave no usable answer for session 42")
                .contains(fault.detail)
                .contains("failure policy " + policy + " " + policyWord + " it")
                .doesNotContain("hook-token-123456")
                .doesNotContain("callback-secret-xyz");
    }
}
