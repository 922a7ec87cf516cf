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
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.EventExecutor;
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
import io.sluice.engine.protocol.message.MessageType;
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
import javax.net.ssl.SSLException;

/**
 * An RTMP client on the engine's own codec: connects (digest handshake, connect with the URL's app
 * and tcUrl), then publishes or plays. Used by tests for exact assertions, and by relays and file
 * ingest. Every future completes on the connection's event loop.
 */
public final class RtmpClient implements AutoCloseable {

    /**
     * How the client connects.
     *
     * @param timeout             TCP connect, TLS and RTMP handshakes, connect command: each at most this
     * @param tls                 how {@code rtmps://} checks the server (verification on by default)
     * @param writeBufferLowWaterMark  the connection is writable again below this many queued bytes
     * @param writeBufferHighWaterMark {@link #isWritable()} turns false above this many queued bytes
     */
    public record Options(Duration timeout, boolean digestHandshake, int chunkSize, String flashVer,
                          ChunkLimits limits, TlsOptions tls, int writeBufferLowWaterMark,
                          int writeBufferHighWaterMark) {
        public static final Options DEFAULT = new Options(Duration.ofSeconds(10), true, 4096,
                "FMLE/3.0 (compatible; Sluice)", ChunkLimits.DEFAULT);

        public Options {
            tls = tls == null ? TlsOptions.SYSTEM : tls;
            if (writeBufferLowWaterMark <= 0 || writeBufferHighWaterMark < writeBufferLowWaterMark) {
                throw new IllegalArgumentException("bad write buffer water marks: " + writeBufferLowWaterMark + ", "
                        + writeBufferHighWaterMark);
            }
        }

        public Options(Duration timeout, boolean digestHandshake, int chunkSize, String flashVer, ChunkLimits limits) {
            this(timeout, digestHandshake, chunkSize, flashVer, limits, TlsOptions.SYSTEM, 512 * 1024, 2 * 1024 * 1024);
        }

        public Options withTimeout(Duration newTimeout) {
            return new Options(newTimeout, digestHandshake, chunkSize, flashVer, limits, tls, writeBufferLowWaterMark,
                    writeBufferHighWaterMark);
        }

        public Options withChunkSize(int newChunkSize) {
            return new Options(timeout, digestHandshake, newChunkSize, flashVer, limits, tls, writeBufferLowWaterMark,
                    writeBufferHighWaterMark);
        }

        public Options withTls(TlsOptions newTls) {
            return new Options(timeout, digestHandshake, chunkSize, flashVer, limits, newTls, writeBufferLowWaterMark,
                    writeBufferHighWaterMark);
        }

        public Options withWriteBuffer(int lowWaterMark, int highWaterMark) {
            return new Options(timeout, digestHandshake, chunkSize, flashVer, limits, tls, lowWaterMark, highWaterMark);
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
    private volatile Consumer<StatusEvent> statusListener = e -> { };
    private volatile Runnable readComplete = () -> { };
    private volatile Throwable failure;
    private volatile boolean closeRequested;
    private volatile Channel channel;
    private double nextTransactionId = 2; // 1 is connect's

    private RtmpClient(RtmpUrl url, Options options) {
        this.url = url;
        this.options = options;
    }

    /** Connects to the server in {@code url} (its stream part is used by {@link #publish()} / {@link #play}). */
    public static CompletableFuture<RtmpClient> connect(String url, Options options) {
        RtmpClient client = new RtmpClient(RtmpUrl.parse(url), options);
        // a failed or cancelled connect leaves nothing open behind it
        client.connected.whenComplete((c, e) -> {
            if (e != null) {
                client.abort();
            }
        });
        client.open();
        return client.connected;
    }

    public static CompletableFuture<RtmpClient> connect(String url) {
        return connect(url, Options.DEFAULT);
    }

    /** An event loop of the clients' shared group (for a stream a relay creates, or for timers). */
    public static EventExecutor nextExecutor() {
        return group().next();
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
        SslContext sslContext;
        try {
            sslContext = url.tls() ? options.tls().clientContext() : null;
        } catch (SSLException | RuntimeException e) {
            connected.completeExceptionally(new SSLException("TLS setup for " + url.host() + " failed: "
                    + e.getMessage(), e));
            return;
        }
        new Bootstrap().group(group()).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.timeout().toMillis())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        options.writeBufferLowWaterMark(), options.writeBufferHighWaterMark()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (sslContext != null) {
                            SslHandler ssl = options.tls().newHandler(sslContext, ch.alloc(), url.host(), url.port());
                            ssl.setHandshakeTimeoutMillis(options.timeout().toMillis());
                            ch.pipeline().addLast("tls", ssl);
                        }
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

    /**
     * Whether the connection takes more without exceeding its write buffer's high water mark (see
     * {@link Options#writeBufferHighWaterMark()}); a sender that must not block drops when it is false.
     */
    public boolean isWritable() {
        Channel ch = channel;
        return ch != null && ch.isWritable();
    }

    /** What ended the connection (TLS, handshake, decoding, I/O), if an error did; null otherwise. */
    public Throwable failure() {
        return failure;
    }

    /** Also tells {@code listener} of each status event, on the connection's event loop. */
    public RtmpClient onStatus(Consumer<StatusEvent> listener) {
        statusListener = listener;
        return this;
    }

    /** Runs {@code task} on the event loop after each batch of messages read (to flush what they caused). */
    public RtmpClient onReadComplete(Runnable task) {
        readComplete = task;
        return this;
    }

    /** The event loop of this connection. */
    public EventExecutor executor() {
        return channel.eventLoop();
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

    /**
     * As {@link #send(int, int, int, ByteBuf)}; {@code written} runs on the event loop once the message
     * went to the socket (not if the connection closed first).
     */
    public void send(int typeId, int streamId, int timestamp, ByteBuf payload, Runnable written) {
        channel.write(new MediaMessage(typeId, streamId, timestamp, payload)).addListener(f -> {
            if (f.isSuccess()) {
                written.run();
            }
        });
    }

    /**
     * Sends a data message whose payload is AMF0 values as an FLV script tag holds them (e.g.
     * {@code "onMetaData", {...}}). onMetaData goes as {@code @setDataFrame onMetaData ...}, as encoders
     * send it, so that servers keep it for late joiners. Takes ownership of {@code payload}.
     */
    public void sendDataFrame(int streamId, int timestamp, ByteBuf payload) {
        ByteBuf message = payload;
        if (DataFrames.isMetadata(payload)) {
            ByteBuf prefix = channel.alloc().buffer(DataFrames.SET_DATA_FRAME_SIZE);
            DataFrames.writeSetDataFrame(prefix);
            message = channel.alloc().compositeBuffer(2).addComponents(true, prefix, payload);
        }
        channel.write(new MediaMessage(MessageType.DATA_AMF0, streamId, timestamp, message), channel.voidPromise());
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

    /**
     * Ends a publish politely (FCUnpublish, deleteStream, as OBS and ffmpeg do); completes once both
     * went out after everything sent before them.
     */
    public CompletableFuture<Void> unpublish(int streamId, String name) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.write(new CommandMessage(0, "FCUnpublish", 0, AmfNull.INSTANCE, List.of(AmfValue.of(name))));
        channel.writeAndFlush(new CommandMessage(0, "deleteStream", 0, AmfNull.INSTANCE,
                List.of(AmfValue.of((double) streamId)))).addListener(f -> {
                    if (f.isSuccess()) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(f.cause());
                    }
                });
        return done;
    }

    /** Stops or resumes reading from the socket (a player that stops reading is a slow player). */
    public void setReading(boolean reading) {
        channel.config().setAutoRead(reading);
    }

    /** Closes the connection and waits for it (never call it on an event loop: use {@link #closeAsync()}). */
    @Override
    public void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close().awaitUninterruptibly(options.timeout().toMillis());
        }
    }

    private void abort() {
        closeRequested = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    /** Closes the connection without waiting; completes when it is closed. Safe on any thread. */
    public CompletableFuture<Void> closeAsync() {
        closeRequested = true;
        Channel ch = channel;
        if (ch == null) {
            connected.cancel(false);
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        ch.close().addListener(f -> closed.complete(null));
        return closed;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (e instanceof SSLException && e.getCause() != null && e.getCause().getMessage() != null) {
            message = message + " (" + e.getCause().getMessage() + ")";
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private final class Handler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            channel = ctx.channel();
            if (closeRequested) {
                ctx.close();
                return;
            }
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
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            if (failure == null) {
                failure = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            }
            super.exceptionCaught(ctx, cause);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
            readComplete.run();
            super.channelReadComplete(ctx);
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
            statusListener.accept(event);
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
            Throwable why = failure;
            IllegalStateException closed = new IllegalStateException("connection to " + url.host() + ":" + url.port()
                    + " closed" + (why == null ? "" : ": " + describe(why)), why);
            connected.completeExceptionally(closed);
            calls.values().forEach(c -> c.completeExceptionally(closed));
            streamStarts.values().forEach(c -> c.completeExceptionally(closed));
            calls.clear();
            streamStarts.clear();
            super.channelInactive(ctx);
        }
    }
}
