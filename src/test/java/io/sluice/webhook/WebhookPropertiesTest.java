package io.sluice.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.webhook.WebhookProperties.FailurePolicy;
import io.sluice.webhook.WebhookProperties.Format;
import io.sluice.webhook.WebhookProperties.HookSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** Binding {@code sluice.webhooks.*}: defaults, hook names, and clear errors at startup. */
class WebhookPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(WebhookProperties.class)
    static class Config {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Test
    void nothingConfiguredMeansNoHooksAndTheDefaults() {
        runner.run(context -> {
            WebhookProperties p = context.getBean(WebhookProperties.class);
            assertThat(p.hooks()).isEmpty();
            assertThat(p.deliveryLogSize()).isEqualTo(200);
            assertThat(p.maxPendingNotifications()).isEqualTo(10000);
        });
    }

    @Test
    void hooksBindByTheirDocumentedNamesWithDefaults() {
        runner.withPropertyValues(
                        "sluice.webhooks.hooks.on-publish.url=https://auth.example.com/publish",
                        "sluice.webhooks.hooks.on-publish.format=nginx",
                        "sluice.webhooks.hooks.on-publish.timeout=2s",
                        "sluice.webhooks.hooks.on-publish.failure-policy=allow",
                        "sluice.webhooks.hooks.on-publish.secret=topsecret",
                        "sluice.webhooks.hooks.on_play.url=http://127.0.0.1:9000/play",
                        "sluice.webhooks.hooks.on-publish-done.url=http://127.0.0.1:9000/done",
                        "sluice.webhooks.hooks.on-publish-done.retries=5",
                        "sluice.webhooks.hooks.on-publish-done.backoff=250ms",
                        "sluice.webhooks.hooks.on-record-done.url=http://127.0.0.1:9000/record",
                        "sluice.webhooks.delivery-log-size=10")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    WebhookProperties p = context.getBean(WebhookProperties.class);
                    assertThat(p.hooks()).containsOnlyKeys(Hook.ON_PUBLISH, Hook.ON_PLAY, Hook.ON_PUBLISH_DONE,
                            Hook.ON_RECORD_DONE);
                    assertThat(p.hooks().get(Hook.ON_PUBLISH)).isEqualTo(new HookSettings(
                            "https://auth.example.com/publish", Format.NGINX, Duration.ofSeconds(2), FailurePolicy.ALLOW,
                            "topsecret", 3, Duration.ofSeconds(1)));
                    assertThat(p.hooks().get(Hook.ON_PLAY)).isEqualTo(new HookSettings("http://127.0.0.1:9000/play",
                            Format.JSON, Duration.ofSeconds(5), FailurePolicy.DENY, null, 3, Duration.ofSeconds(1)));
                    assertThat(p.hooks().get(Hook.ON_PUBLISH_DONE).retries()).isEqualTo(5);
                    assertThat(p.hooks().get(Hook.ON_PUBLISH_DONE).backoff()).isEqualTo(Duration.ofMillis(250));
                    assertThat(p.deliveryLogSize()).isEqualTo(10);
                    assertThat(p.anyNotification()).isTrue();
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ftp://example.com/hook       | scheme 'ftp' is not http or https",
            "example.com/hook             | no scheme",
            "http:///path                 | no host",
            "http://user:pw@example.com/x | user info",
            "http://exa mple.com/         | not a URL",
            "http://169.254.169.254/hook  | link-local address 169.254.169.254 is not allowed",
            "http://[fe80::1]/hook        | link-local address fe80::1 is not allowed"})
    void invalidUrlsFailTheStartWithAClearMessage(String url, String why) {
        runner.withPropertyValues("sluice.webhooks.hooks.on-publish.url=" + url).run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootCause(context.getStartupFailure()).getMessage())
                    .contains("sluice.webhooks.hooks.on-publish.url must be an absolute http:// or https:// URL")
                    .contains(why);
        });
    }

    @Test
    void allowedHostsAndPrivateAddressBlockingApplyToEveryHook() {
        runner.withPropertyValues("sluice.webhooks.allowed-hosts=auth.example.com,*.hooks.example.org",
                "sluice.webhooks.hooks.on-publish.url=https://auth.example.com/publish",
                "sluice.webhooks.hooks.on-play.url=https://eu.hooks.example.org/play").run(context ->
                assertThat(context).hasNotFailed());
        runner.withPropertyValues("sluice.webhooks.allowed-hosts=auth.example.com",
                "sluice.webhooks.hooks.on-play.url=http://127.0.0.1:8080/admin").run(context ->
                assertThat(rootCause(context.getStartupFailure()).getMessage())
                        .contains("sluice.webhooks.hooks.on-play.url")
                        .contains("host '127.0.0.1' is not in the allowed hosts"));
        runner.withPropertyValues("sluice.webhooks.block-private-addresses=true",
                "sluice.webhooks.hooks.on-play.url=http://10.0.0.5/hook").run(context ->
                assertThat(rootCause(context.getStartupFailure()).getMessage())
                        .contains("private or loopback address 10.0.0.5 is not allowed"));
        runner.withPropertyValues("sluice.webhooks.hooks.on-play.url=http://127.0.0.1:9/hook").run(context ->
                assertThat(context).as("loopback is allowed by default: auth services run next to Sluice")
                        .hasNotFailed());
    }

    @Test
    void aHookWithoutUrlOrWithAnUnknownNameFailsTheStart() {
        runner.withPropertyValues("sluice.webhooks.hooks.on-play.timeout=1s").run(context ->
                assertThat(rootCause(context.getStartupFailure()).getMessage())
                        .isEqualTo("sluice.webhooks.hooks.on-play.url is required (an http:// or https:// URL)"));
        runner.withPropertyValues("sluice.webhooks.hooks.on-nothing.url=http://x.example/").run(context ->
                assertThat(context).hasFailed());
        runner.withPropertyValues("sluice.webhooks.hooks.on-play.url=http://x.example/",
                "sluice.webhooks.hooks.on-play.timeout=0s").run(context ->
                assertThat(rootCause(context.getStartupFailure()).getMessage())
                        .contains("sluice.webhooks.hooks.on-play.timeout must be positive"));
    }

    @Test
    void theSecretNeverShowsInToString() {
        HookSettings s = new HookSettings("http://x.example/hook?token=abc", Format.JSON, Duration.ofSeconds(1),
                FailurePolicy.DENY, "topsecret", 3, Duration.ofSeconds(1));
        assertThat(s.toString()).doesNotContain("topsecret").doesNotContain("abc").contains("******");
        assertThat(new WebhookProperties(java.util.Map.of(Hook.ON_PLAY, s), 1, 1).toString())
                .doesNotContain("topsecret");
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }
}
