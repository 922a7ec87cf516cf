package io.sluice.webhook;

import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.sluice.system.MethodSecurityConfig;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(WebhookController.class)
@Import(MethodSecurityConfig.class)
@TestPropertySource(properties = {
        "sluice.webhooks.hooks.on-publish.url=https://auth.example.com/publish?token=hidden",
        "sluice.webhooks.hooks.on-publish.format=NGINX",
        "sluice.webhooks.hooks.on-publish.secret=the-hook-secret",
        "sluice.webhooks.hooks.on-publish.timeout=3s",
        "sluice.webhooks.hooks.on-publish-done.url=http://127.0.0.1:9000/done",
        "sluice.webhooks.hooks.on-publish-done.backoff=2s",
        "sluice.webhooks.delivery-log-size=5"})
class WebhookControllerTest {

    @TestConfiguration
    @EnableConfigurationProperties(WebhookProperties.class)
    static class Beans {
        @Bean
        DeliveryLog deliveryLog(WebhookProperties properties) {
            DeliveryLog log = new DeliveryLog(properties);
            log.add(new Delivery("e1", "publish", "on_publish", "https://auth.example.com/publish?[redacted]", 403, 12,
                    "HTTP 403", 1, Instant.parse("2025-01-01T00:00:00Z"), "rejected"));
            log.add(new Delivery("e2", "publish_done", "on_publish_done", "http://127.0.0.1:9000/done", null, 5000,
                    "timed out after 5000 ms", 2, Instant.parse("2025-01-01T00:00:01Z"), "timeout"));
            return log;
        }
    }

    @Autowired
    MockMvc mvc;

    @Test
    void anonymousIsUnauthorized() throws Exception {
        mvc.perform(get("/api/webhooks").accept(MediaType.APPLICATION_JSON)).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/webhooks/deliveries").accept(MediaType.APPLICATION_JSON))
                .andExpect(status().isUnauthorized());
    }

    @Test
    @WithMockUser(authorities = "SCOPE_streams:read")
    void withoutTheAdminScopeIsForbidden() throws Exception {
        mvc.perform(get("/api/webhooks")).andExpect(status().isForbidden());
        mvc.perform(get("/api/webhooks/deliveries")).andExpect(status().isForbidden());
    }

    @Test
    @WithMockUser(authorities = "SCOPE_admin")
    void listsTheConfiguredHooksWithoutSecrets() throws Exception {
        mvc.perform(get("/api/webhooks"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$", hasSize(2)))
                .andExpect(jsonPath("$[0].hook").value("on_publish"))
                .andExpect(jsonPath("$[0].gate").value(true))
                .andExpect(jsonPath("$[0].url").value("https://auth.example.com/publish?[redacted]"))
                .andExpect(jsonPath("$[0].format").value("NGINX"))
                .andExpect(jsonPath("$[0].timeoutMs").value(3000))
                .andExpect(jsonPath("$[0].failurePolicy").value("DENY"))
                .andExpect(jsonPath("$[0].signed").value(true))
                .andExpect(jsonPath("$[0].retries").value(nullValue()))
                .andExpect(jsonPath("$[0].secret").doesNotExist())
                .andExpect(jsonPath("$[1].hook").value("on_publish_done"))
                .andExpect(jsonPath("$[1].gate").value(false))
                .andExpect(jsonPath("$[1].format").value("JSON"))
                .andExpect(jsonPath("$[1].failurePolicy").value(nullValue()))
                .andExpect(jsonPath("$[1].retries").value(3))
                .andExpect(jsonPath("$[1].backoffMs").value(2000))
                .andExpect(jsonPath("$[1].signed").value(false))
                .andExpect(content().string(org.hamcrest.Matchers.not(
                        org.hamcrest.Matchers.containsString("the-hook-secret"))))
                .andExpect(content().string(org.hamcrest.Matchers.not(
                        org.hamcrest.Matchers.containsString("token=hidden"))));
    }

    @Test
    @WithMockUser(authorities = "SCOPE_admin")
    void listsDeliveriesNewestFirst() throws Exception {
        mvc.perform(get("/api/webhooks/deliveries"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(2)))
                .andExpect(jsonPath("$[0].eventId").value("e2"))
                .andExpect(jsonPath("$[0].event").value("publish_done"))
                .andExpect(jsonPath("$[0].hook").value("on_publish_done"))
                .andExpect(jsonPath("$[0].url").value("http://127.0.0.1:9000/done"))
                .andExpect(jsonPath("$[0].status").value(nullValue()))
                .andExpect(jsonPath("$[0].latencyMs").value(5000))
                .andExpect(jsonPath("$[0].error").value("timed out after 5000 ms"))
                .andExpect(jsonPath("$[0].attempt").value(2))
                .andExpect(jsonPath("$[0].time").value("2025-01-01T00:00:01Z"))
                .andExpect(jsonPath("$[0].outcome").value("timeout"))
                .andExpect(jsonPath("$[1].eventId").value("e1"))
                .andExpect(jsonPath("$[1].status").value(403));
        mvc.perform(get("/api/webhooks/deliveries").param("limit", "1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(1)))
                .andExpect(jsonPath("$[0].eventId").value("e2"));
        mvc.perform(get("/api/webhooks/deliveries").param("limit", "0")).andExpect(status().isBadRequest());
    }
}
