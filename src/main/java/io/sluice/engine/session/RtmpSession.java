package io.sluice.engine.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.sluice.engine.ConnectionLimits;
import io.sluice.engine.RtmpServerConfig;
import io.sluice.engine.media.MediaPacket;
import io.sluice.engine.media.MetadataSummary;
import io.sluice.engine.protocol.RtmpProtocolException;
import io.sluice.engine.protocol.amf.Amf0;
import io.sluice.engine.protocol.amf.AmfEcmaArray;
import io.sluice.engine.protocol.amf.AmfObject;
import io.sluice.engine.protocol.amf.AmfString;
import io.sluice.engine.protocol.amf.AmfValue;
import io.sluice.engine.protocol.command.Command;
import io.sluice.engine.protocol.command.Responses;
import io.sluice.engine.protocol.command.StatusCode;
import io.sluice.engine.protocol.handshake.HandshakeCompleted;
import io.sluice.engine.protocol.message.CommandMessage;
import io.sluice.engine.protocol.message.DataMessage;
import io.sluice.engine.protocol.message.MediaMessage;
import io.sluice.engine.protocol.message.RtmpMessage;
import io.sluice.engine.protocol.message.SetChunkSize;
import io.sluice.engine.protocol.message.SetPeerBandwidth;
import io.sluice.engine.protocol.message.UnknownMessage;
import io.sluice.engine.protocol.message.UserControl;
import io.sluice.engine.protocol.message.WindowAckSize;
import io.sluice.engine.spi.AccessDecision;
import io.sluice.engine.spi.AccessRequest;
import io.sluice.engine.spi.Refusal;
import io.sluice.engine.spi.SessionInfo;
import io.sluice.engine.stream.AlreadyPublishingException;
import io.sluice.engine.stream.LiveStream;
import io.sluice.engine.stream.Publisher;
import io.sluice.engine.stream.StreamKey;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTMP connection after the chunk layer: the NetConnection and its NetStreams (RTMP 1.0 section
 * 7.2). Runs on the connection's event loop. Every access decision is asked of the gate
 * asynchronously; the client gets its answer (and {@code Publish.Start}) only once the gate allowed.
 */
public final class RtmpSession extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RtmpSession.class);

    private enum State { HANDSHAKE, AWAIT_CONNECT, CONNECTING, CONNECTED, CLOSED }

    private final SessionContext context;
    private final RtmpServerConfig config;
    private final ConnectionLimits limits;
    private final TokenBucket commandRate;
    private final TrafficCounter traffic;
    private final long id;
    private final Instant connectedAt = Instant.now();
    private final Map<Integer, NetStream> netStreams = new HashMap<>();
    private Channel channel;
    private State state = State.HANDSHAKE;
    private ScheduledFuture<?> connectTimer;
    private ScheduledFuture<?> idleCheck;
    private int nextStreamId = 1;

    private volatile Command.Connect connect;
    private String app = "";
    private String connectQuery = "";
    private volatile SessionInfo.Role role = SessionInfo.Role.CONNECTING;
    private volatile String currentStream;
    private volatile String label;

    public RtmpSession(SessionContext context, TrafficCounter traffic) {
        this.context = context;
        this.config = context.config();
        this.limits = config.connectionLimits();
        this.commandRate = new TokenBucket(limits.commandsPerSecond(), limits.commandBurst(), System.nanoTime());
        this.traffic = traffic;
        this.id = context.nextId();
    }

    public long id() {
        return id;
    }

    /** A message stream (createStream) and what it does. */
    private final class NetStream implements Publisher {
        final int streamId;
        LiveStream live;
        RtmpPlayer player;
        boolean publishing;
        boolean pending;
        long lastMediaNanos;

        NetStream(int streamId) {
            this.streamId = streamId;
        }

        @Override
        public long sessionId() {
            return id;
        }

        @Override
        public void stopPublishing(String reason) {
            kick(reason);
        }
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        context.register(this);
        connectTimer = ctx.executor().schedule(() -> {
            if (state.ordinal() < State.CONNECTED.ordinal()) {
                log.warn("closing {}: no connect command within {}", channel.remoteAddress(), config.connectTimeout());
                channel.close();
            }
        }, config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof HandshakeCompleted && state == State.HANDSHAKE) {
            state = State.AWAIT_CONNECT;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        boolean wasConnected = state == State.CONNECTED;
        state = State.CLOSED;
        cancel(connectTimer);
        cancel(idleCheck);
        for (NetStream ns : netStreams.values()) {
            endNetStream(ns);
        }
        netStreams.clear();
        context.unregister(this);
        if (wasConnected) {
            // also when the peer vanished without a word (reset, crash): the one trace of it
            log.info("session {} ({}) disconnected", id, ctx.channel().remoteAddress());
            context.listener().disconnected(info());
        }
        super.channelInactive(ctx);
    }

    /** Closes the connection from outside (kick, replaced publisher, shutdown). Thread-safe. */
    void kick(String reason) {
        Channel ch = channel;
        if (ch != null) {
            ch.eventLoop().execute(() -> {
                if (ch.isActive()) {
                    log.info("closing session {} ({}): {}", id, ch.remoteAddress(), reason);
                    ch.close();
                }
            });
        }
    }

    // ---- inbound messages -----------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (state == State.CLOSED || !channel.isActive()) {
                return; // closed by a limit earlier in this read: the rest is not looked at
            }
            if (state == State.HANDSHAKE) {
                throw new RtmpProtocolException("message before the handshake completed");
            }
            RtmpMessage message = (RtmpMessage) msg;
            if (message instanceof MediaMessage m) {
                onMedia(m);
            } else if (message instanceof CommandMessage m) {
                if (withinCommandLimits()) {
                    onCommand(Command.parse(m), m);
                }
            } else if (message instanceof DataMessage m) {
                onData(m);
            } else if (message instanceof UserControl m) {
                if (m.event() == UserControl.Event.PING_REQUEST && withinCommandLimits()) {
                    channel.writeAndFlush(UserControl.pingResponse(m.value()));
                }
            } else if (message instanceof UnknownMessage m) {
                log.debug("session {}: ignoring message type {} ({} bytes)", id, m.typeId(), m.length());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        for (NetStream ns : netStreams.values()) {
            if (ns.publishing && ns.live != null) {
                ns.live.flush();
            }
        }
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    /**
     * Commands (and ping requests) cost the server work and a reply each, so a connection may send only
     * so many per second; and one that does not read its replies may not let them pile up. Otherwise it
     * is closed.
     */
    private boolean withinCommandLimits() {
        if (!commandRate.tryTake(System.nanoTime())) {
            refuseAndClose(Refusal.COMMAND_RATE, "more than " + limits.commandsPerSecond() + " commands per second"
                    + " (burst " + limits.commandBurst() + ")");
            return false;
        }
        long pending = PendingBytes.of(channel);
        if (pending > limits.maxPendingBytes()) {
            refuseAndClose(Refusal.PENDING_BYTES, pending + " bytes queued for a peer that does not read, more than "
                    + limits.maxPendingBytes());
            return false;
        }
        return true;
    }

    private void refuseAndClose(Refusal reason, String limit) {
        context.refusals().refuse(reason, channel.remoteAddress(), "session " + id + ": " + limit);
        channel.close();
    }

    private void onCommand(Command command, CommandMessage raw) {
        if (state != State.CONNECTED && !(command instanceof Command.Connect)) {
            if (command instanceof Command.Reply) {
                return;
            }
            throw new RtmpProtocolException("command '" + raw.name() + "' before connect");
        }
        if (command instanceof Command.Connect c) {
            onConnect(c);
        } else if (command instanceof Command.CreateStream c) {
            onCreateStream(c);
        } else if (command instanceof Command.Publish c) {
            onPublish(c);
        } else if (command instanceof Command.Play c) {
            onPlay(c);
        } else if (command instanceof Command.Pause c) {
            onPause(c);
        } else if (command instanceof Command.DeleteStream c) {
            closeNetStream(c.streamId());
        } else if (command instanceof Command.CloseStream c) {
            closeNetStream(c.streamId());
        } else if (command instanceof Command.Receive c) {
            NetStream ns = netStreams.get(c.streamId());
            if (ns != null && ns.player != null) {
                ns.player.receive(c.video(), c.enabled());
            }
        } else if (command instanceof Command.StreamNameCall c) {
            onStreamNameCall(c);
        } else if (command instanceof Command.GetStreamLength c) {
            send(Responses.result(c.transactionId(), AmfValue.of(0.0)));
        } else if (command instanceof Command.CheckBandwidth c) {
            send(Responses.result(c.transactionId()));
        } else if (command instanceof Command.Unknown c) {
            log.debug("session {}: unknown command '{}'", id, c.name());
            send(Responses.error(c.transactionId(), "Unknown command '" + c.name() + "'."));
        }
    }

    // ---- NetConnection --------------------------------------------------------------------------

    private void onConnect(Command.Connect c) {
        if (state != State.AWAIT_CONNECT) {
            throw new RtmpProtocolException("connect sent twice");
        }
        state = State.CONNECTING;
        StreamNames.NameAndQuery appAndQuery = StreamNames.split(c.app().replaceAll("^/+|/+$", ""));
        app = appAndQuery.name();
        connectQuery = !appAndQuery.query().isEmpty() ? appAndQuery.query() : StreamNames.split(c.tcUrl()).query();
        connect = c;
        String invalid = StreamNames.invalidAppName(app);
        if (invalid != null) {
            rejectConnect(c, invalid);
            return;
        }
        ask(request(AccessRequest.Action.CONNECT, "", connectQuery, ""), decision -> {
            if (!decision.allowed()) {
                rejectConnect(c, decision.description());
                return;
            }
            state = State.CONNECTED;
            role = SessionInfo.Role.IDLE;
            cancel(connectTimer);
            channel.write(new WindowAckSize(config.windowAckSize()));
            channel.write(new SetPeerBandwidth(config.windowAckSize(), SetPeerBandwidth.LIMIT_DYNAMIC));
            channel.write(new SetChunkSize(config.outChunkSize()));
            channel.writeAndFlush(Responses.connectSuccess(c.transactionId(), c.objectEncoding()));
            context.listener().connected(info());
        });
    }

    private void rejectConnect(Command.Connect c, String description) {
        log.info("session {} ({}): connect to '{}' rejected: {}", id, channel.remoteAddress(), app, description);
        channel.writeAndFlush(Responses.connectRejected(c.transactionId(), description))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void onCreateStream(Command.CreateStream c) {
        if (netStreams.size() >= limits.maxStreamsPerConnection()) {
            refuseStream();
            send(Responses.error(c.transactionId(), "Too many streams on one connection."));
            return;
        }
        int streamId = nextStreamId++;
        netStreams.put(streamId, new NetStream(streamId));
        send(Responses.result(c.transactionId(), AmfValue.of((double) streamId)));
    }

    private void onStreamNameCall(Command.StreamNameCall c) {
        switch (c.call()) {
            case "FCPublish" -> channel.write(Responses.onFc("onFCPublish", StatusCode.PUBLISH_START, c.name()));
            case "FCUnpublish" -> channel.write(Responses.onFc("onFCUnpublish", StatusCode.UNPUBLISH_SUCCESS, c.name()));
            default -> {
            }
        }
        if (c.transactionId() != 0) {
            channel.write(Responses.result(c.transactionId()));
        }
        channel.flush();
    }

    // ---- publish --------------------------------------------------------------------------------

    private void onPublish(Command.Publish c) {
        NetStream ns = netStreamFor(c.streamId());
        if (ns == null || ns.publishing || ns.player != null || ns.pending) {
            publishRefused(c.streamId(), StatusCode.PUBLISH_BAD_NAME, "This stream is already in use.", false);
            return;
        }
        StreamNames.NameAndQuery nq = StreamNames.split(c.name());
        String invalid = StreamNames.invalidStreamName(nq.name());
        if (invalid != null) {
            publishRefused(c.streamId(), StatusCode.PUBLISH_BAD_NAME, invalid, true);
            return;
        }
        ns.pending = true;
        ask(request(AccessRequest.Action.PUBLISH, nq.name(), nq.query(), c.type()), decision -> {
            if (!decision.allowed()) {
                ns.pending = false;
                StatusCode code = decision.reason() == AccessDecision.Reason.UNAUTHORIZED
                        ? StatusCode.PUBLISH_UNAUTHORIZED : decision.reason() == AccessDecision.Reason.BANNED
                        || decision.reason() == AccessDecision.Reason.THROTTLED
                        ? StatusCode.PUBLISH_DENIED : StatusCode.PUBLISH_BAD_NAME;
                publishRefused(c.streamId(), code, decision.description(), true);
                return;
            }
            String name = decidedName(decision, nq.name());
            if (name == null) {
                ns.pending = false;
                publishRefused(c.streamId(), StatusCode.PUBLISH_BAD_NAME, "Invalid stream name.", true);
                return;
            }
            StreamKey key = new StreamKey(app, name);
            context.streams().publish(key, channel.eventLoop(), ns, decision.label()).whenComplete((live, error) ->
                    channel.eventLoop().execute(() -> publishAttached(ns, key, decision, live, error)));
        });
    }

    private void publishAttached(NetStream ns, StreamKey key, AccessDecision decision, LiveStream live, Throwable error) {
        ns.pending = false;
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            String why = cause instanceof AlreadyPublishingException ? "Stream " + key + " is already publishing."
                    : "Publish failed: " + cause.getMessage();
            publishRefused(ns.streamId, StatusCode.PUBLISH_BAD_NAME, why, true);
            return;
        }
        if (state != State.CONNECTED || netStreams.get(ns.streamId) != ns) {
            live.detach(ns); // the client left while the stream was being set up
            return;
        }
        ns.live = live;
        ns.publishing = true;
        ns.lastMediaNanos = System.nanoTime();
        role = SessionInfo.Role.PUBLISHER;
        currentStream = key.name();
        label = decision.label();
        channel.write(UserControl.streamBegin(ns.streamId));
        channel.writeAndFlush(Responses.onStatus(ns.streamId, StatusCode.PUBLISH_START, key + " is now published."));
        log.info("session {} ({}) publishing {}", id, channel.remoteAddress(), key);
        startIdleCheck();
        SessionInfo started = info();
        context.listener().publishStarted(started);
        if (decision.record()) {
            context.listener().recordRequested(started);
        }
    }

    private void publishRefused(int streamId, StatusCode code, String description, boolean close) {
        log.info("session {} ({}): publish refused ({}): {}", id, channel.remoteAddress(), code.code(), description);
        var future = channel.writeAndFlush(Responses.onStatus(streamId, code, description));
        if (close) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void onMedia(MediaMessage m) {
        NetStream ns = netStreams.get(m.streamId());
        if (ns == null || !ns.publishing) {
            return; // media racing a stream's end, or for a stream not published: nothing to do
        }
        ns.lastMediaNanos = System.nanoTime();
        ns.live.publish(ns, m.isVideo() ? MediaPacket.Kind.VIDEO : MediaPacket.Kind.AUDIO, m.timestamp(), m.content());
    }

    private void onData(DataMessage m) {
        NetStream ns = netStreams.get(m.streamId());
        if (ns == null || !ns.publishing) {
            return;
        }
        List<AmfValue> values = m.values();
        String name = m.name();
        if (name.equals("@setDataFrame")) {
            values = values.subList(1, values.size());
            name = !values.isEmpty() && values.get(0) instanceof AmfString s ? s.value() : "";
        } else if (name.equals("@clearDataFrame")) {
            return;
        }
        ByteBuf payload = channel.alloc().buffer(256);
        try {
            Amf0.encodeAll(payload, values);
            if (name.equals("onMetaData")) {
                AmfValue properties = values.size() > 1 ? values.get(1) : null;
                Map<String, AmfValue> map = properties instanceof AmfEcmaArray e ? e.asMap()
                        : properties instanceof AmfObject o ? o.asMap() : Map.of();
                ns.live.publishMetadata(ns, m.timestamp(), payload, MetadataSummary.of(map));
            } else {
                ns.live.publish(ns, MediaPacket.Kind.DATA, m.timestamp(), payload);
            }
        } finally {
            payload.release();
        }
    }

    private void startIdleCheck() {
        if (idleCheck != null) {
            return;
        }
        long periodMillis = Math.max(100, Math.min(1000, config.publisherIdleTimeout().toMillis() / 4));
        idleCheck = channel.eventLoop().scheduleAtFixedRate(() -> {
            long limit = config.publisherIdleTimeout().toNanos();
            for (NetStream ns : netStreams.values()) {
                if (ns.publishing && System.nanoTime() - ns.lastMediaNanos > limit) {
                    log.warn("closing session {} ({}): no media from the publisher of {} for {}", id,
                            channel.remoteAddress(), ns.live.key(), config.publisherIdleTimeout());
                    channel.close();
                    return;
                }
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    // ---- play -----------------------------------------------------------------------------------

    private void onPlay(Command.Play c) {
        NetStream ns = netStreamFor(c.streamId());
        if (ns == null || ns.publishing || ns.player != null || ns.pending) {
            send(Responses.onStatus(c.streamId(), StatusCode.PLAY_FAILED, "This stream is already in use."));
            return;
        }
        StreamNames.NameAndQuery nq = StreamNames.split(c.name());
        String invalid = StreamNames.invalidStreamName(nq.name());
        if (invalid != null) {
            playRefused(c.streamId(), StatusCode.PLAY_STREAM_NOT_FOUND, invalid);
            return;
        }
        ns.pending = true;
        ask(request(AccessRequest.Action.PLAY, nq.name(), nq.query(), ""), decision -> {
            ns.pending = false;
            if (!decision.allowed()) {
                playRefused(c.streamId(), StatusCode.PLAY_FAILED, decision.description());
                return;
            }
            String name = decidedName(decision, nq.name());
            if (name == null) {
                playRefused(c.streamId(), StatusCode.PLAY_FAILED, "Invalid stream name.");
                return;
            }
            StreamKey key = new StreamKey(app, name);
            RtmpPlayer player = new RtmpPlayer(id, channel, traffic, ns.streamId, key, config.playerMaxLag().toMillis(),
                    config.outChunkSize(), limits.maxPendingBytes(), context.refusals());
            ns.player = player;
            role = SessionInfo.Role.PLAYER;
            currentStream = name;
            // 7.2.2.1: StreamIsRecorded/StreamBegin, then Play.Reset and Play.Start, then the data
            channel.write(UserControl.streamBegin(ns.streamId));
            if (c.reset()) {
                channel.write(Responses.onStatus(ns.streamId, StatusCode.PLAY_RESET, "Playing and resetting " + key + "."));
            }
            channel.write(Responses.onStatus(ns.streamId, StatusCode.PLAY_START, "Started playing " + key + "."));
            channel.write(Responses.sampleAccess(ns.streamId));
            channel.writeAndFlush(Responses.onStatus(ns.streamId, StatusCode.DATA_START, "Data started."));
            log.info("session {} ({}) playing {}", id, channel.remoteAddress(), key);
            context.streams().subscribe(key, channel.eventLoop(), player).whenComplete((live, error) ->
                    channel.eventLoop().execute(() -> {
                        if (error != null || ns.player != player || state == State.CLOSED) {
                            if (live != null) {
                                live.unsubscribe(player);
                            }
                            return;
                        }
                        ns.live = live;
                    }));
            context.listener().playStarted(info());
        });
    }

    private void playRefused(int streamId, StatusCode code, String description) {
        log.info("session {} ({}): play refused ({}): {}", id, channel.remoteAddress(), code.code(), description);
        channel.writeAndFlush(Responses.onStatus(streamId, code, description)).addListener(ChannelFutureListener.CLOSE);
    }

    private void onPause(Command.Pause c) {
        NetStream ns = netStreams.get(c.streamId());
        if (ns == null || ns.player == null) {
            send(Responses.error(c.transactionId(), "Nothing is playing on stream " + c.streamId() + "."));
            return;
        }
        ns.player.pause(c.pause());
        send(Responses.onStatus(ns.streamId, c.pause() ? StatusCode.PAUSE_NOTIFY : StatusCode.UNPAUSE_NOTIFY,
                c.pause() ? "Paused." : "Unpaused."));
    }

    // ---- stream teardown ------------------------------------------------------------------------

    private void closeNetStream(int streamId) {
        NetStream ns = netStreams.remove(streamId);
        if (ns == null) {
            return;
        }
        boolean wasPublishing = ns.publishing;
        endNetStream(ns);
        if (wasPublishing) {
            send(Responses.onStatus(streamId, StatusCode.UNPUBLISH_SUCCESS, "Stream unpublished."));
        }
        role = SessionInfo.Role.IDLE;
    }

    private void endNetStream(NetStream ns) {
        if (ns.publishing) {
            ns.publishing = false;
            ns.live.detach(ns);
            log.info("session {} stopped publishing {}", id, ns.live.key());
            context.listener().publishEnded(info());
        }
        if (ns.player != null) {
            RtmpPlayer player = ns.player;
            ns.player = null;
            player.retire();
            if (ns.live != null) {
                ns.live.unsubscribe(player);
            } else {
                // subscribe may still be in flight: unsubscribe once it lands
                context.streams().find(new StreamKey(app, currentStream)).ifPresent(s -> s.unsubscribe(player));
            }
            context.listener().playEnded(info());
        }
        ns.live = null;
    }

    // ---- helpers --------------------------------------------------------------------------------

    private NetStream netStreamFor(int streamId) {
        NetStream ns = netStreams.get(streamId);
        if (ns == null && streamId > 0) {
            if (netStreams.size() >= limits.maxStreamsPerConnection()) {
                refuseStream();
                return null;
            }
            // Some clients publish or play on a stream id they never created; accept it as created.
            ns = new NetStream(streamId);
            netStreams.put(streamId, ns);
            nextStreamId = Math.max(nextStreamId, streamId + 1);
        }
        return ns;
    }

    private void refuseStream() {
        context.refusals().refuse(Refusal.STREAMS_PER_CONNECTION, channel.remoteAddress(), "session " + id + ": "
                + limits.maxStreamsPerConnection() + " message streams open, the limit");
    }

    /**
     * The name the stream goes by once the gate allowed it: the requested one, or the gate's new one,
     * which must be as valid (it becomes a file name in recordings); null if the gate's is not.
     */
    private String decidedName(AccessDecision decision, String requested) {
        if (decision.streamName() == null) {
            return requested;
        }
        String invalid = StreamNames.invalidStreamName(decision.streamName());
        if (invalid != null) {
            log.warn("session {} ({}): the access check renamed the stream to an invalid name: {}", id,
                    channel.remoteAddress(), invalid);
            return null;
        }
        return decision.streamName();
    }

    private AccessRequest request(AccessRequest.Action action, String streamName, String query, String publishType) {
        Command.Connect c = connect;
        return new AccessRequest(action, id, (InetSocketAddress) channel.remoteAddress(), app, streamName, query,
                StreamNames.parseQuery(query), c.tcUrl(), c.flashVer(), c.swfUrl(), c.pageUrl(), publishType);
    }

    /** Asks the gate; {@code then} runs on this connection's event loop, unless it closed meanwhile. */
    private void ask(AccessRequest request, Consumer<AccessDecision> then) {
        CompletionStage<AccessDecision> stage;
        try {
            stage = context.gate().check(request);
        } catch (RuntimeException e) {
            stage = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((decision, error) -> channel.eventLoop().execute(() -> {
            if (state == State.CLOSED) {
                return;
            }
            if (error != null || decision == null) {
                log.warn("session {}: access check for {} failed: {}", id, request.action(),
                        error == null ? "no decision" : error.toString());
                then.accept(AccessDecision.deny(AccessDecision.Reason.ERROR, "Access check failed."));
            } else {
                then.accept(decision);
            }
        }));
    }

    private void send(RtmpMessage message) {
        channel.writeAndFlush(message);
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }

    public SessionInfo info() {
        Command.Connect c = connect;
        Channel ch = channel;
        return new SessionInfo(id, ch == null ? null : (InetSocketAddress) ch.remoteAddress(), role, app,
                currentStream, connectedAt, traffic.bytesIn(), traffic.bytesOut(), c == null ? "" : c.flashVer(),
                c == null ? "" : c.tcUrl(), label);
    }
}
