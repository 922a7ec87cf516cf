package io.sluice.engine.protocol.message;

/** A message whose type the engine does not act on (shared objects, unknown ids); payload discarded. */
public record UnknownMessage(int typeId, int streamId, int timestamp, int length) implements RtmpMessage {
}
