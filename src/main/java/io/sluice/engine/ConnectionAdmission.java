package io.sluice.engine;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sluice.engine.protocol.handshake.HandshakeCompleted;
import io.sluice.engine.session.Refusals;
import io.sluice.engine.spi.Refusal;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admits new connections within {@link ConnectionLimits}: in total, per remote address, and in their
 * handshake. One per server, shared by its listeners; a connection is counted from accept to close
 * (and as handshaking until its RTMP handshake completes), so the counts never drift.
 */
final class ConnectionAdmission {
    private final ConnectionLimits limits;
    private final Refusals refusals;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger handshaking = new AtomicInteger();
    /** Open connections per remote IP address; an address leaves the map with its last connection. */
    private final ConcurrentHashMap<Object, Integer> perAddress = new ConcurrentHashMap<>();

    ConnectionAdmission(ConnectionLimits limits, Refusals refusals) {
        this.limits = limits;
        this.refusals = refusals;
    }

    /**
     * Counts the new connection in, or refuses it: reports the refusal, closes it and returns null.
     * Otherwise returns the handler that counts it out of the handshakes once its handshake completed
     * (place it after the handshake handler).
     */
    ChannelInboundHandlerAdapter admit(Channel ch) {
        SocketAddress remote = ch.remoteAddress();
        Object address = remote instanceof InetSocketAddress i && i.getAddress() != null ? i.getAddress() : remote;
        Refusal refusal = null;
        if (open.incrementAndGet() > limits.maxConnections()) {
            refusal = Refusal.CONNECTIONS;
        } else if (handshaking.incrementAndGet() > limits.maxHandshakes()) {
            refusal = Refusal.HANDSHAKES;
            handshaking.decrementAndGet();
        } else if (!countIn(address)) {
            refusal = Refusal.CONNECTIONS_PER_ADDRESS;
            handshaking.decrementAndGet();
        }
        if (refusal != null) {
            open.decrementAndGet();
            refusals.refuse(refusal, remote, switch (refusal) {
                case CONNECTIONS -> limits.maxConnections() + " connections open, the limit";
                case HANDSHAKES -> limits.maxHandshakes() + " handshakes in progress, the limit";
                default -> limits.maxConnectionsPerAddress() + " connections open from this address, the limit";
            });
            ch.close();
            return null;
        }
        HandshakeTracker tracker = new HandshakeTracker();
        ch.closeFuture().addListener(f -> {
            tracker.handshakeOver();
            open.decrementAndGet();
            perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
        });
        return tracker;
    }

    private boolean countIn(Object address) {
        boolean[] admitted = {false};
        perAddress.compute(address, (a, n) -> {
            int count = n == null ? 0 : n;
            if (count >= limits.maxConnectionsPerAddress()) {
                return n;
            }
            admitted[0] = true;
            return count + 1;
        });
        return admitted[0];
    }

    int handshakesInProgress() {
        return handshaking.get();
    }

    /** Counts its connection out of the handshakes once, at the handshake's end or at close; then leaves. */
    private final class HandshakeTracker extends ChannelInboundHandlerAdapter {
        private final AtomicBoolean counted = new AtomicBoolean(true);

        void handshakeOver() {
            if (counted.compareAndSet(true, false)) {
                handshaking.decrementAndGet();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof HandshakeCompleted) {
                handshakeOver();
                ctx.pipeline().remove(this);
            }
            super.userEventTriggered(ctx, evt);
        }
    }
}
