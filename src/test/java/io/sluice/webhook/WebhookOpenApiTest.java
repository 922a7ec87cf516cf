package io.sluice.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import org.junit.jupiter.api.Test;

class WebhookOpenApiTest {

    @Test
    void theCallbackBodyAndReplyAreDocumentedSchemas() {
        OpenAPI api = new OpenAPI();
        WebhookOpenApi.addSchemas(api);

        Schema<?> payload = api.getComponents().getSchemas().get("WebhookPayload");
        assertThat(payload).isNotNull();
        assertThat(payload.getDescription()).contains("X-Sluice-Signature");
        assertThat(payload.getProperties()).containsKeys("eventId", "action", "sessionId", "clientAddress", "app",
                "stream", "query", "queryParams", "tcUrl", "flashVer", "keyLabel", "timestamp", "path",
                "durationSeconds", "sizeBytes");
        assertThat(payload.getProperties().get("action").getEnum()).asList().contains("publish", "record_done");
        Schema<?> reply = api.getComponents().getSchemas().get("WebhookReply");
        assertThat(reply.getProperties()).containsOnlyKeys("allow", "reason", "streamName", "record");
    }
}
