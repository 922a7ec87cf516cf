package io.sluice.engine.session;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.sluice.engine.protocol.LimitExceededException;
import io.sluice.engine.protocol.RtmpProtocolException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler: whatever went wrong on a connection is logged once, with its reason, and only
 * that connection is closed. A limit the peer went over is reported as a refusal as well.
 */
@ChannelHandler.Sharable
public final class ErrorHandler extends ChannelInboundHandlerAdapter {
    /** For clients: nothing to report refusals to. */
    public static final ErrorHandler INSTANCE = new ErrorHandler(null);
    private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

    private final Refusals refusals;

    /** @param refusals where limits that were exceeded are reported (and logged), or null to log them only */
    public ErrorHandler(Refusals refusals) {
        this.refusals = refusals;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (ctx.channel().isActive() || ctx.channel().isOpen()) {
            if (reason instanceof LimitExceededException limit && refusals != null) {
                refusals.refuse(limit.refusal(), ctx.channel().remoteAddress(), limit.getMessage());
            } else if (reason instanceof RtmpProtocolException) {
                log.warn("closing {}: {}", ctx.channel().remoteAddress(), reason.getMessage());
            } else if (reason instanceof IOException) {
                log.debug("closing {}: {}", ctx.channel().remoteAddress(), reason.toString());
            } else {
                log.warn("closing {} after an unexpected error", ctx.channel().remoteAddress(), reason);
            }
        }
        ctx.close();
    }
}
