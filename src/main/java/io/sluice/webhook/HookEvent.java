package io.sluice.webhook;

import io.sluice.engine.spi.AccessDecision;
import io.sluice.engine.spi.AccessRequest;
import io.sluice.engine.spi.SessionInfo;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Everything a callback may tell, protocol-neutral; {@link WebhookBodies} turns it into a body.
 *
 * @param nameAsSent the stream name as the client sent it, query stripped (nginx format's {@code name})
 * @param publicName the name the stream goes by (a stream key's public name, a rename), or null if unknown
 */
record HookEvent(Hook hook, String eventId, Instant timestamp, long sessionId, String clientAddress, String app,
                 String nameAsSent, String publicName, String query, Map<String, String> queryParams, String tcUrl,
                 String flashVer, String swfUrl, String pageUrl, String publishType, String keyLabel,
                 String path, Double durationSeconds, Long sizeBytes) {

    HookEvent {
        queryParams = queryParams == null ? Map.of() : Map.copyOf(queryParams);
    }

    /** The JSON {@code stream}: the public name if known, else as sent. */
    String stream() {
        return publicName != null && !publicName.isEmpty() ? publicName : nameAsSent;
    }

    static HookEvent forRequest(Hook hook, AccessRequest r, AccessDecision soFar) {
        return new HookEvent(hook, newId(), Instant.now(), r.sessionId(), r.remoteHost(), r.app(),
                nz(r.streamName()), soFar.streamName(), nz(r.query()), r.queryParams(), nz(r.tcUrl()),
                nz(r.flashVer()), nz(r.swfUrl()), nz(r.pageUrl()), nz(r.publishType()), soFar.label(),
                null, null, null);
    }

    /** A session event; {@code remembered} is what the gate saw of it (the query, the name as sent), or null. */
    static HookEvent forSession(Hook hook, SessionInfo s, SessionMemory.Remembered remembered) {
        AccessRequest r = remembered == null ? null : remembered.request();
        String publicName = s.streamName() != null && !s.streamName().isEmpty() ? s.streamName()
                : remembered == null ? null : remembered.publicName();
        String label = s.label() != null ? s.label() : remembered == null ? null : remembered.label();
        return new HookEvent(hook, newId(), Instant.now(), s.id(), host(s.remoteAddress()), nz(s.app()),
                r == null ? nz(publicName) : nz(r.streamName()), publicName,
                r == null ? "" : nz(r.query()), r == null ? Map.of() : r.queryParams(),
                nz(s.tcUrl()), nz(s.flashVer()), r == null ? "" : nz(r.swfUrl()), r == null ? "" : nz(r.pageUrl()),
                r == null ? "" : nz(r.publishType()), label, null, null, null);
    }

    static HookEvent forRecording(RecordDoneEvent e, SessionMemory.Remembered remembered) {
        AccessRequest r = remembered == null ? null : remembered.request();
        return new HookEvent(Hook.ON_RECORD_DONE, newId(), Instant.now(), e.sessionId(),
                r == null ? "" : r.remoteHost(), nz(e.app()), r == null ? nz(e.stream()) : nz(r.streamName()),
                e.stream(), r == null ? "" : nz(r.query()), r == null ? Map.of() : r.queryParams(),
                r == null ? "" : nz(r.tcUrl()), r == null ? "" : nz(r.flashVer()), r == null ? "" : nz(r.swfUrl()),
                r == null ? "" : nz(r.pageUrl()), r == null ? "" : nz(r.publishType()), e.keyLabel(),
                nz(e.path()), e.durationSeconds(), e.sizeBytes());
    }

    WebhookPayload toPayload() {
        return new WebhookPayload(eventId, hook.action(), sessionId, clientAddress, app, stream(), query,
                queryParams, tcUrl, flashVer, keyLabel, timestamp, path, durationSeconds, sizeBytes);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private static String host(InetSocketAddress address) {
        return address == null ? "" : address.getAddress() == null ? address.getHostString()
                : address.getAddress().getHostAddress();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
