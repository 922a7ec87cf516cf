package io.sluice.engine.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sluice.engine.protocol.amf.AmfEntries;
import io.sluice.engine.protocol.amf.AmfNull;
import io.sluice.engine.protocol.amf.AmfNumber;
import io.sluice.engine.protocol.amf.AmfObject;
import io.sluice.engine.protocol.amf.AmfLimits;
import io.sluice.engine.protocol.amf.AmfStrictArray;
import io.sluice.engine.protocol.amf.AmfValue;
import io.sluice.engine.protocol.chunk.ChunkDecoder;
import io.sluice.engine.protocol.chunk.ChunkEncoder;
import io.sluice.engine.protocol.chunk.ChunkLimits;
import io.sluice.engine.protocol.command.StatusCode;
import io.sluice.engine.protocol.handshake.ClientHandshakeHandler;
import io.sluice.engine.protocol.handshake.HandshakeCompleted;
import io.sluice.engine.protocol.message.CommandMessage;
import io.sluice.engine.protocol.message.DataMessage;
import io.sluice.engine.protocol.message.MediaMessage;
import io.sluice.engine.protocol.message.RtmpMessage;
import io.sluice.engine.protocol.message.SetChunkSize;
import io.sluice.engine.protocol.message.SetPeerBandwidth;
import io.sluice.engine.protocol.message.UserControl;
import io.sluice.engine.protocol.message.WindowAckSize;
import io.sluice.engine.session.ErrorHandler;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An RTMP client on the engine's own codec: connects (digest handshake, connect with the URL's app
 * and tcUrl), then publishes or plays. Used by tests for exact assertions, and by relays and file
 * ingest. Every future completes on the connection's event loop.
 */
public final class RtmpClient implements AutoCloseable {

    /** How the client connects. */
    public record Options(Duration timeout, boolean digestHandshake, int chunkSize, String flashVer,
                          ChunkLimits limits) {
        public static final Options DEFAULT = new Options(Duration.ofSeconds(10), true, 4096,
                "FMLE/3.0 (compatible; Sluice)", ChunkLimits.DEFAULT);

        public Options withTimeout(Duration newTimeout) {
            return new Options(newTimeout, digestHandshake, chunkSize, flashVer, limits);
        }

        public Options withChunkSize(int newChunkSize) {
            return new Options(timeout, digestHandshake, newChunkSize, flashVer, limits);
        }
    }

    private static volatile EventLoopGroup sharedGroup;

    private final RtmpUrl url;
    private final Options options;
    private final BlockingQueue<StatusEvent> statuses = new LinkedBlockingQueue<>();
    private final Map<Double, CompletableFuture<CommandMessage>> calls = new HashMap<>();
    private final Map<Integer, CompletableFuture<Integer>> streamStarts = new HashMap<>();
    private final CompletableFuture<RtmpClient> connected = new CompletableFuture<>();
    private volatile Consumer<RtmpMessage> receiver = m -> { };
    private Channel channel;
    private double nextTransactionId = 2; // 1 is connect's

    private RtmpClient(RtmpUrl url, Options options) {
        this.url = url;
        this.options = options;
    }

    /** Connects to the server in {@code url} (its stream part is used by {@link #publish()} / {@link #play}). */
    public static CompletableFuture<RtmpClient> connect(String url, Options options) {
        RtmpClient client = new RtmpClient(RtmpUrl.parse(url), options);
        client.open();
        return client.connected;
    }

    public static CompletableFuture<RtmpClient> connect(String url) {
        return connect(url, Options.DEFAULT);
    }

    private static EventLoopGroup group() {
        if (sharedGroup == null) {
            synchronized (RtmpClient.class) {
                if (sharedGroup == null) {
                    sharedGroup = new NioEventLoopGroup(0, new DefaultThreadFactory("rtmp-client", true));
                }
            }
        }
        return sharedGroup;
    }

    private void open() {
        if (url.tls()) {
            connected.completeExceptionally(new UnsupportedOperationException("rtmps:// is not supported yet"));
            return;
        }
        new Bootstrap().group(group()).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.timeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("handshake", new ClientHandshakeHandler(options.timeout(), options.digestHandshake()));
                        ch.pipeline().addLast("chunkEncoder", new ChunkEncoder());
                        ch.pipeline().addLast("chunkDecoder", new ChunkDecoder(options.limits(), AmfLimits.DEFAULT));
                        ch.pipeline().addLast("client", new Handler());
                        ch.pipeline().addLast("errors", ErrorHandler.INSTANCE);
                    }
                })
                .connect(url.host(), url.port())
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        connected.completeExceptionally(f.cause());
                    }
                });
    }

    public RtmpUrl url() {
        return url;
    }

    /** Status events (onStatus, onFCPublish, ...) in arrival order. */
    public BlockingQueue<StatusEvent> statuses() {
        return statuses;
    }

    /** Waits for the next status event, or null after {@code timeout}. */
    public StatusEvent nextStatus(Duration timeout) throws InterruptedException {
        return statuses.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public CompletableFuture<Void> closeFuture() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        channel.closeFuture().addListener(f -> closed.complete(null));
        return closed;
    }

    public boolean isActive() {
        return channel != null && channel.isActive();
    }

    /** Calls a command on the NetConnection and returns its _result (or fails with its _error). */
    public CompletableFuture<CommandMessage> call(String name, AmfValue commandObject, AmfValue... args) {
        CompletableFuture<CommandMessage> result = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            double tid = nextTransactionId++;
            calls.put(tid, result);
            channel.writeAndFlush(new CommandMessage(0, name, tid, commandObject, List.of(args)));
        });
        return result;
    }

    public CompletableFuture<Integer> createStream() {
        return call("createStream", AmfNull.INSTANCE).thenApply(r -> r.argument(0) instanceof AmfNumber n
                ? (int) n.value() : 0);
    }

    /** Publishes the URL's stream; see {@link #publish(String)}. */
    public CompletableFuture<Integer> publish() {
        return publish(url.stream());
    }

    /**
     * releaseStream, FCPublish, createStream, publish (live), as OBS and ffmpeg do; completes with the
     * message stream id on {@code NetStream.Publish.Start}, fails with {@link RtmpStatusException}.
     */
    public CompletableFuture<Integer> publish(String name) {
        channel.eventLoop().execute(() -> {
            channel.write(new CommandMessage(0, "releaseStream", nextTransactionId++, AmfNull.INSTANCE,
                    List.of(AmfValue.of(name))));
            channel.writeAndFlush(new CommandMessage(0, "FCPublish", nextTransactionId++, AmfNull.INSTANCE,
                    List.of(AmfValue.of(name))));
        });
        return createStream().thenCompose(streamId -> startStream(streamId, new CommandMessage(streamId, "publish",
                0, AmfNull.INSTANCE, List.of(AmfValue.of(name), AmfValue.of("live")))));
    }

    /** Plays the URL's stream; see {@link #play(String, Consumer)}. */
    public CompletableFuture<Integer> play(Consumer<RtmpMessage> onMessage) {
        return play(url.stream(), onMessage);
    }

    /**
     * createStream, SetBufferLength, play (live); {@code onMessage} gets every media, data and user
     * control message on the connection's event loop (the message is released after it returns).
     * Completes with the stream id on {@code NetStream.Play.Start}.
     */
    public CompletableFuture<Integer> play(String name, Consumer<RtmpMessage> onMessage) {
        receiver = onMessage;
        return createStream().thenCompose(streamId -> {
            channel.write(UserControl.setBufferLength(streamId, 3000));
            return startStream(streamId, new CommandMessage(streamId, "play", 0, AmfNull.INSTANCE,
                    List.of(AmfValue.of(name), AmfValue.of(-1000.0))));
        });
    }

    private CompletableFuture<Integer> startStream(int streamId, CommandMessage command) {
        CompletableFuture<Integer> started = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            streamStarts.put(streamId, started);
            channel.writeAndFlush(command);
        });
        return started;
    }

    /** Sends an audio, video or raw data message; takes ownership of {@code payload}. */
    public void send(int typeId, int streamId, int timestamp, ByteBuf payload) {
        channel.write(new MediaMessage(typeId, streamId, timestamp, payload), channel.voidPromise());
    }

    /** Sends {@code @setDataFrame onMetaData} as encoders do. */
    public void sendMetadata(int streamId, AmfValue metadata) {
        channel.write(new DataMessage(streamId, 0, List.of(AmfValue.of("@setDataFrame"), AmfValue.of("onMetaData"),
                metadata)));
    }

    /** Sends any message (tests use this to misbehave on purpose). */
    public void sendMessage(RtmpMessage message) {
        channel.write(message);
    }

    public void flush() {
        channel.flush();
    }

    /** Asks the server to stop a stream (deleteStream) without closing the connection. */
    public void deleteStream(int streamId) {
        channel.writeAndFlush(new CommandMessage(0, "deleteStream", 0, AmfNull.INSTANCE,
                List.of(AmfValue.of((double) streamId))));
    }

    /** Stops or resumes reading from the socket (a player that stops reading is a slow player). */
    public void setReading(boolean reading) {
        channel.config().setAutoRead(reading);
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(options.timeout().toMillis());
        }
    }

    private final class Handler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            channel = ctx.channel();
            super.channelActive(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof HandshakeCompleted) {
                ctx.write(new SetChunkSize(options.chunkSize()));
                AmfObject command = AmfObject.builder()
                        .put("app", url.app())
                        .put("type", "nonprivate")
                        .put("flashVer", options.flashVer())
                        .put("tcUrl", url.tcUrl())
                        .put("fpad", false)
                        .put("capabilities", 15.0)
                        .put("audioCodecs", 4071.0)
                        .put("videoCodecs", 252.0)
                        .put("videoFunction", 1.0)
                        .put("objectEncoding", 0.0)
                        // Enhanced RTMP: the codecs this client can carry
                        .put("fourCcList", AmfStrictArray.of(AmfValue.of("av01"), AmfValue.of("vp09"),
                                AmfValue.of("hvc1")))
                        .build();
                CompletableFuture<CommandMessage> result = new CompletableFuture<>();
                calls.put(1.0, result);
                ctx.writeAndFlush(new CommandMessage(0, "connect", 1, command, List.of()));
                result.whenComplete((r, e) -> {
                    if (e != null) {
                        connected.completeExceptionally(e);
                        ctx.close();
                    } else {
                        connected.complete(RtmpClient.this);
                    }
                });
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof CommandMessage m) {
                    onCommand(m);
                } else if (msg instanceof SetPeerBandwidth m) {
                    ctx.writeAndFlush(new WindowAckSize(m.size()));
                } else if (msg instanceof UserControl m && m.event() == UserControl.Event.PING_REQUEST) {
                    ctx.writeAndFlush(UserControl.pingResponse(m.value()));
                    receiver.accept(m);
                } else if (msg instanceof MediaMessage || msg instanceof DataMessage || msg instanceof UserControl) {
                    receiver.accept((RtmpMessage) msg);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void onCommand(CommandMessage m) {
            switch (m.name()) {
                case "_result", "_error" -> {
                    CompletableFuture<CommandMessage> call = calls.remove(m.transactionId());
                    if (call == null) {
                        return;
                    }
                    if (m.name().equals("_result")) {
                        call.complete(m);
                    } else {
                        AmfValue info = m.argument(0);
                        call.completeExceptionally(info instanceof AmfEntries e
                                ? new RtmpStatusException(e.string("code"), e.string("description"))
                                : new RtmpStatusException("_error", m.name()));
                    }
                }
                case "onStatus", "onFCPublish", "onFCUnpublish" -> onStatus(m);
                default -> {
                    // onBWDone and friends: nothing to answer
                }
            }
        }

        private void onStatus(CommandMessage m) {
            AmfValue infoValue = m.name().equals("onStatus") ? m.argument(0) : m.argument(0);
            if (!(infoValue instanceof AmfEntries info)) {
                return;
            }
            StatusEvent event = new StatusEvent(m.streamId(), info.string("code"), info.string("level"),
                    info.string("description"));
            statuses.add(event);
            CompletableFuture<Integer> start = streamStarts.get(m.streamId());
            if (start == null || !m.name().equals("onStatus")) {
                return;
            }
            if (StatusCode.PUBLISH_START.code().equals(event.code()) || StatusCode.PLAY_START.code().equals(event.code())) {
                streamStarts.remove(m.streamId());
                start.complete(m.streamId());
            } else if ("error".equals(event.level())) {
                streamStarts.remove(m.streamId());
                start.completeExceptionally(new RtmpStatusException(event.code(), event.description()));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            IllegalStateException closed = new IllegalStateException("connection to " + url.host() + ":" + url.port()
                    + " closed");
            connected.completeExceptionally(closed);
            calls.values().forEach(c -> c.completeExceptionally(closed));
            streamStarts.values().forEach(c -> c.completeExceptionally(closed));
            calls.clear();
            streamStarts.clear();
            super.channelInactive(ctx);
        }
    }
}
