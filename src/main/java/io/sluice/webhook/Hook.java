package io.sluice.webhook;

import io.sluice.engine.spi.AccessRequest;

/**
 * The callbacks Sluice makes. Gates ({@code on_connect}, {@code on_publish}, {@code on_play}) are
 * awaited before the client gets its answer; the others are notifications, sent asynchronously with
 * retries. Configured under {@code sluice.webhooks.hooks.<property name>}, e.g. {@code on-publish}.
 */
public enum Hook {
    ON_CONNECT("on_connect", "connect", true),
    ON_PUBLISH("on_publish", "publish", true),
    ON_PLAY("on_play", "play", true),
    ON_PUBLISH_DONE("on_publish_done", "publish_done", false),
    ON_PLAY_DONE("on_play_done", "play_done", false),
    ON_DISCONNECT("on_disconnect", "disconnect", false),
    ON_RECORD_DONE("on_record_done", "record_done", false);

    private final String hookName;
    private final String action;
    private final boolean gate;

    Hook(String hookName, String action, boolean gate) {
        this.hookName = hookName;
        this.action = action;
        this.gate = gate;
    }

    /** The hook's name as users know it from nginx-rtmp, e.g. {@code on_publish}. */
    public String hookName() {
        return hookName;
    }

    /** The configuration key under {@code sluice.webhooks.hooks}, e.g. {@code on-publish}. */
    public String propertyName() {
        return hookName.replace('_', '-');
    }

    /** The JSON {@code action} and the nginx-rtmp {@code call} value, e.g. {@code publish_done}. */
    public String action() {
        return action;
    }

    /** True for the hooks that decide (awaited, never retried). */
    public boolean gate() {
        return gate;
    }

    static Hook gateFor(AccessRequest.Action action) {
        return switch (action) {
            case CONNECT -> ON_CONNECT;
            case PUBLISH -> ON_PUBLISH;
            case PLAY -> ON_PLAY;
        };
    }
}
