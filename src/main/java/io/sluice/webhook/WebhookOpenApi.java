package io.sluice.webhook;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts the callback body ({@link WebhookPayload}) and the gate reply ({@link WebhookReply}) into the
 * OpenAPI document's schemas: they are what a callback receiver implements, not endpoints of Sluice.
 */
@Configuration(proxyBeanMethods = false)
class WebhookOpenApi {

    @Bean
    OpenApiCustomizer webhookSchemas() {
        return WebhookOpenApi::addSchemas;
    }

    static void addSchemas(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        Components components = openApi.getComponents();
        for (Class<?> type : new Class<?>[] {WebhookPayload.class, WebhookReply.class}) {
            ModelConverters.getInstance().readAll(new AnnotatedType(type)).forEach(components::addSchemas);
        }
    }
}
