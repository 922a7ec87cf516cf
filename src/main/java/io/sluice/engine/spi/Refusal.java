package io.sluice.engine.spi;

import java.util.Locale;

/**
 * Why the engine refused a peer because of a configured limit. Each refusal is logged and reported
 * once through {@link StreamEventListener#refused}; it closes or answers only the offending peer.
 */
public enum Refusal {
    /** More connections open in total than allowed; the new one is closed at once. */
    CONNECTIONS,
    /** More connections open from one remote address than allowed; the new one is closed at once. */
    CONNECTIONS_PER_ADDRESS,
    /** More connections still in their (TLS and) RTMP handshake than allowed; the new one is closed at once. */
    HANDSHAKES,
    /** A connection sent commands faster than allowed; it is closed. */
    COMMAND_RATE,
    /** A connection asked for more message streams than allowed; the request is answered with an error. */
    STREAMS_PER_CONNECTION,
    /** A message longer than allowed; the connection is closed. */
    MESSAGE_SIZE,
    /** A Set Chunk Size outside the allowed range; the connection is closed. */
    CHUNK_SIZE,
    /** More chunk streams on one connection than allowed; the connection is closed. */
    CHUNK_STREAMS,
    /** More bytes queued for a connection that does not read than allowed; it is closed. */
    PENDING_BYTES;

    /** The name as a metric tag: lower case. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
