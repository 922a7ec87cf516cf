package io.sluice.engine;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.NettyRuntime;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sluice.engine.session.SessionContext;
import io.sluice.engine.spi.AccessGate;
import io.sluice.engine.spi.SessionInfo;
import io.sluice.engine.spi.StreamEventListener;
import io.sluice.engine.spi.StreamEventListeners;
import io.sluice.engine.stream.StreamRegistry;
import io.sluice.engine.stream.StreamSnapshot;
import io.sluice.engine.tls.ReloadingSslContext;
import io.sluice.engine.tls.TlsListenerConfig;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTMP server, free of any framework: {@link #start()}, {@link #stop(Duration)}, {@link #port()}.
 * Uses the native epoll transport when the platform has it.
 */
public final class RtmpServer {
    private static final Logger log = LoggerFactory.getLogger(RtmpServer.class);

    private final RtmpServerConfig config;
    private final StreamRegistry streams;
    private final SessionContext sessions;
    private final StreamEventListeners listeners;
    private final ConnectionAdmission admission;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel serverChannel;
    private Channel tlsChannel;
    private ScheduledFuture<?> tlsReload;

    public RtmpServer(RtmpServerConfig config, AccessGate gate, StreamEventListener listener) {
        this.config = config;
        this.streams = new StreamRegistry(config.streams());
        this.listeners = new StreamEventListeners(List.of(listener));
        this.sessions = new SessionContext(config, streams, gate, listeners);
        this.admission = new ConnectionAdmission(config.connectionLimits(), sessions.refusals());
    }

    public RtmpServer(RtmpServerConfig config) {
        this(config, AccessGate.ALLOW_ALL, StreamEventListener.NONE);
    }

    /** Binds the port. Idempotent; throws {@link RtmpServerException} (with nothing left running) on failure. */
    public synchronized void start() {
        if (serverChannel != null) {
            return;
        }
        boolean epoll = Epoll.isAvailable();
        bossGroup = epoll ? new EpollEventLoopGroup(1, new DefaultThreadFactory("rtmp-accept"))
                : new NioEventLoopGroup(1, new DefaultThreadFactory("rtmp-accept"));
        // one loop per core: a media server's loops never block, so more only adds context switches
        int ioThreads = config.ioThreads() > 0 ? config.ioThreads() : NettyRuntime.availableProcessors();
        workerGroup = epoll ? new EpollEventLoopGroup(ioThreads, new DefaultThreadFactory("rtmp-io"))
                : new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("rtmp-io"));
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        try {
            serverChannel = bootstrap(channelType, null)
                    .bind(config.host(), config.port())
                    .syncUninterruptibly()
                    .channel();
        } catch (Exception e) {
            shutdownGroups(Duration.ZERO);
            serverChannel = null;
            String where = config.host() + ":" + config.port();
            String message = isAddressInUse(e)
                    ? "RTMP port " + where + " is already in use (set sluice.rtmp.port to another port)"
                    : "RTMP server could not listen on " + where + ": " + e.getMessage();
            throw new RtmpServerException(message, e);
        }
        log.info("RTMP listening on {} ({} transport)", serverChannel.localAddress(), epoll ? "epoll" : "nio");
        if (config.tls().enabled()) {
            startTls(channelType);
        }
    }

    /** One listener's bootstrap; {@code tls} null for plain RTMP. Both share the loops and the sessions. */
    private ServerBootstrap bootstrap(Class<? extends ServerChannel> channelType, ReloadingSslContext tls) {
        return new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.writeBufferLowWaterMark(), config.writeBufferHighWaterMark()))
                .childHandler(new RtmpChannelInitializer(sessions, admission, tls));
    }

    /** The RTMPS listener: the same sessions behind a TLS handler whose certificate is re-read when it changes. */
    private void startTls(Class<? extends ServerChannel> channelType) {
        TlsListenerConfig tls = config.tls();
        String where = config.host() + ":" + tls.port();
        try {
            ReloadingSslContext context = new ReloadingSslContext(tls.certificate(), tls.privateKey());
            tlsChannel = bootstrap(channelType, context)
                    .bind(config.host(), tls.port())
                    .syncUninterruptibly()
                    .channel();
            long every = tls.reloadInterval().toMillis();
            tlsReload = bossGroup.scheduleAtFixedRate(context::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            serverChannel.close().awaitUninterruptibly();
            serverChannel = null;
            tlsChannel = null;
            shutdownGroups(Duration.ZERO);
            String message = isAddressInUse(e)
                    ? "RTMPS port " + where + " is already in use (set sluice.rtmp.tls.port to another port)"
                    : "RTMPS listener could not start on " + where + ": " + e.getMessage();
            throw new RtmpServerException(message, e);
        }
        log.info("RTMPS listening on {} (certificate {}, checked for changes every {})", tlsChannel.localAddress(),
                tls.certificate(), tls.reloadInterval());
    }

    /** Closes every connection and the listener, waiting at most {@code timeout} for the loops to end. */
    public synchronized void stop(Duration timeout) {
        if (serverChannel == null) {
            return;
        }
        serverChannel.close().awaitUninterruptibly(timeout.toMillis());
        streams.terminateAll("server shutting down");
        sessions.closeAll();
        shutdownGroups(timeout);
        serverChannel = null;
        log.info("RTMP server stopped");
    }

    /** The JDK says BindException; the epoll transport a NativeIoException with the errno's text. */
    private static boolean isAddressInUse(Throwable e) {
        return e instanceof BindException
                || e.getMessage() != null && e.getMessage().contains("Address already in use");
    }

    private void shutdownGroups(Duration timeout) {
        long quietMillis = Math.min(100, timeout.toMillis());
        for (EventLoopGroup group : new EventLoopGroup[]{bossGroup, workerGroup}) {
            if (group != null) {
                group.shutdownGracefully(quietMillis, Math.max(quietMillis, timeout.toMillis()), TimeUnit.MILLISECONDS)
                        .awaitUninterruptibly(timeout.toMillis() + 1000);
            }
        }
        bossGroup = null;
        workerGroup = null;
    }

    public synchronized boolean isRunning() {
        return serverChannel != null;
    }

    /** The bound port (useful after binding port 0), or -1 when not running. */
    public synchronized int port() {
        return serverChannel == null ? -1 : ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The bound RTMPS port, or -1 when the TLS listener is off or the server not running. */
    public synchronized int tlsPort() {
        return tlsChannel == null ? -1 : ((InetSocketAddress) tlsChannel.localAddress()).getPort();
    }

    /**
     * Also tells {@code listener} what happens on the engine (after the listener given to the
     * constructor), e.g. relays that start on demand. Its methods are called on event loops, must return
     * at once and never throw (a throw is logged and ignored).
     */
    public void addStreamEventListener(StreamEventListener listener) {
        listeners.add(listener);
    }

    /** Connections whose RTMP handshake has not completed yet (what {@code maxHandshakes} bounds). */
    int handshakesInProgress() {
        return admission.handshakesInProgress();
    }

    public RtmpServerConfig config() {
        return config;
    }

    public StreamRegistry streams() {
        return streams;
    }

    /**
     * Subscribes a non-RTMP subscriber (HTTP-FLV viewer, recorder) to a stream, creating it to wait
     * for its publisher if need be; see {@link StreamRegistry#subscribe}.
     */
    public java.util.concurrent.CompletableFuture<io.sluice.engine.stream.LiveStream> subscribe(
            io.sluice.engine.stream.StreamKey key, io.sluice.engine.stream.Subscriber subscriber) {
        EventLoopGroup group = workerGroup;
        if (group == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("RTMP server not running"));
        }
        return streams.subscribe(key, group.next(), subscriber);
    }

    public List<StreamSnapshot> streamSnapshots() {
        return streams.snapshots();
    }

    public List<SessionInfo> sessions() {
        return sessions.snapshots();
    }

    public Optional<SessionInfo> session(long id) {
        return sessions.snapshot(id);
    }

    /** Disconnects one session; false if there is none with that id. */
    public boolean kick(long sessionId, String reason) {
        return sessions.close(sessionId, reason);
    }

    /** The constructor's listener, then the ones added later, each isolated from the others' failures. */
}
