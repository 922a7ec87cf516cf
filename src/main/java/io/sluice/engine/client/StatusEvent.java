package io.sluice.engine.client;

/** An onStatus (or onFCPublish...) the server sent, in arrival order. */
public record StatusEvent(int streamId, String code, String level, String description) {
}
