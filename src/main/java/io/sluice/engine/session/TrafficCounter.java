package io.sluice.engine.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** Counts a connection's bytes on the wire, both ways, for session statistics. */
public final class TrafficCounter extends ChannelDuplexHandler {
    private volatile long bytesIn;
    private volatile long bytesOut;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            bytesIn += buf.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            bytesOut += buf.readableBytes();
        } else if (msg instanceof ByteBufHolder holder) {
            bytesOut += holder.content().readableBytes();
        }
        ctx.write(msg, promise);
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }
}
