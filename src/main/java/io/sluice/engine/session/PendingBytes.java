package io.sluice.engine.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

/** How many bytes are queued for sending on a connection (what the write buffer water marks measure). */
final class PendingBytes {
    private PendingBytes() {
    }

    /**
     * Includes writes handed over from other threads and not yet run: Netty counts those when they are
     * submitted. Channel has no public accessor for the total, so it is read from the outbound buffer.
     */
    static long of(Channel channel) {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }
}
