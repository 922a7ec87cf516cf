package io.sluice.engine.protocol.handshake;

/**
 * User event fired by {@link ServerHandshakeHandler} and {@link ClientHandshakeHandler} once the
 * handshake is over, right before the handler removes itself from the pipeline. Any bytes the peer
 * sent after the handshake reach the next handler after this event.
 *
 * @param digest whether the digest ("complex", Flash Player 9+) handshake was used rather than the
 *               plain RTMP 1.0 one
 */
public record HandshakeCompleted(boolean digest) {
}
