package io.sluice.engine.protocol.message;

/** Set Peer Bandwidth (RTMP 1.0 section 5.4.5); limit type 0 hard, 1 soft, 2 dynamic. */
public record SetPeerBandwidth(int size, int limitType) implements RtmpMessage {
    public static final int LIMIT_HARD = 0;
    public static final int LIMIT_SOFT = 1;
    public static final int LIMIT_DYNAMIC = 2;

    @Override
    public int typeId() {
        return MessageType.SET_PEER_BANDWIDTH;
    }
}
