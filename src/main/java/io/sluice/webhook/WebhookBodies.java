package io.sluice.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The wire formats: the nginx-rtmp form body, the JSON body and reply, and the signature. A fixed
 * mapper of its own, so the wire format does not follow the application's Jackson settings.
 */
final class WebhookBodies {
    static final String FORM = "application/x-www-form-urlencoded";
    static final String JSON = "application/json";

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    /** The nginx-rtmp fields; a client's query parameter by one of these names is not passed on. */
    static final Set<String> NGINX_FIELDS = Set.of("call", "app", "name", "type", "addr", "clientid", "tcurl",
            "flashver", "swfurl", "pageurl", "path", "recorder");

    private WebhookBodies() {
    }

    record Body(byte[] bytes, String contentType) {
    }

    static Body encode(HookEvent event, WebhookProperties.Format format) {
        return format == WebhookProperties.Format.NGINX ? new Body(nginxForm(event).getBytes(StandardCharsets.UTF_8), FORM)
                : new Body(json(event), JSON);
    }

    static byte[] json(HookEvent event) {
        try {
            return MAPPER.writeValueAsBytes(event.toPayload());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode webhook payload", e);
        }
    }

    /**
     * The nginx-rtmp fields: {@code call, app, name, type (publish), addr, clientid, tcurl, flashver,
     * swfurl, pageurl} ({@code path} for record_done), then the client's query parameters. {@code name} is
     * the name as the client sent it, as nginx-rtmp sends it.
     */
    static String nginxForm(HookEvent e) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("call", e.hook().action());
        fields.put("app", e.app());
        switch (e.hook()) {
            case ON_CONNECT, ON_DISCONNECT -> {
            }
            case ON_PUBLISH -> {
                fields.put("name", e.nameAsSent());
                fields.put("type", e.publishType().isEmpty() ? "live" : e.publishType());
            }
            default -> fields.put("name", e.nameAsSent());
        }
        fields.put("addr", e.clientAddress());
        fields.put("clientid", Long.toString(e.sessionId()));
        fields.put("tcurl", e.tcUrl());
        fields.put("flashver", e.flashVer());
        fields.put("swfurl", e.swfUrl());
        fields.put("pageurl", e.pageUrl());
        if (e.hook() == Hook.ON_RECORD_DONE) {
            fields.put("path", e.path());
        }
        e.queryParams().forEach((k, v) -> {
            if (!NGINX_FIELDS.contains(k)) {
                fields.put(k, v);
            }
        });
        StringBuilder out = new StringBuilder();
        fields.forEach((k, v) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v == null ? "" : v, StandardCharsets.UTF_8));
        });
        return out.toString();
    }

    /** {@code sha256=<hex HMAC-SHA256(secret, body)>}. */
    static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Thrown for a JSON reply that is not a {@link WebhookReply} object. */
    static final class InvalidReplyException extends Exception {
        InvalidReplyException(String message) {
            super(message);
        }
    }

    /** Parses a gate's JSON reply strictly: an object whose known fields have the right types. */
    static WebhookReply parseReply(byte[] body) throws InvalidReplyException {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new InvalidReplyException("reply is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidReplyException("reply is not a JSON object");
        }
        return new WebhookReply(bool(node, "allow"), text(node, "reason"), text(node, "streamName"),
                bool(node, "record"));
    }

    private static Boolean bool(JsonNode object, String field) throws InvalidReplyException {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new InvalidReplyException("reply field '" + field + "' is not a boolean");
        }
        return v.booleanValue();
    }

    private static String text(JsonNode object, String field) throws InvalidReplyException {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidReplyException("reply field '" + field + "' is not a string");
        }
        return v.textValue();
    }
}
