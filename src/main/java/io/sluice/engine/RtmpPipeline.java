package io.sluice.engine;

/** Names of the handlers in an RTMP connection's pipeline, in order. */
public final class RtmpPipeline {
    public static final String TRAFFIC = "traffic";
    public static final String HANDSHAKE = "handshake";
    /** Counts the connection out of the handshakes in progress when the handshake completes; then leaves. */
    public static final String HANDSHAKE_LIMIT = "handshakeLimit";
    public static final String CHUNK_ENCODER = "chunkEncoder";
    public static final String CHUNK_DECODER = "chunkDecoder";
    public static final String SESSION = "session";
    public static final String ERRORS = "errors";

    private RtmpPipeline() {
    }
}
