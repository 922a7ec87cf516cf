package io.sluice.engine.protocol.handshake;

import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.FMS_KEY;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.FP_KEY;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.SIZE;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.concat;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.digestAt;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.digestOf;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.drainInbound;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.drainOutbound;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.hasValidDigest;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.offset;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.pump;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.randomBytes;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.responseSignature;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.sluice.engine.protocol.handshake.HandshakeTestSupport.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientHandshakeHandlerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Recorder recorder = new Recorder();

    private EmbeddedChannel client(boolean digest) {
        return new EmbeddedChannel(new ClientHandshakeHandler(TIMEOUT, digest), recorder);
    }

    /** An S1 with the given version and, if {@code scheme >= 0}, an FMS digest (36-byte key) in that scheme. */
    private static byte[] serverS1(byte[] version, int scheme, long seed) {
        byte[] s1 = randomBytes(SIZE, seed);
        System.arraycopy(version, 0, s1, 4, 4);
        if (scheme >= 0) {
            System.arraycopy(digestOf(s1, scheme, Arrays.copyOf(FMS_KEY, 36)), 0, s1, offset(s1, scheme), 32);
        }
        return s1;
    }

    @Test
    void writesPlainC0C1OnceWhenActive() {
        EmbeddedChannel channel = client(false);
        byte[] c0c1 = drainOutbound(channel);
        assertThat(c0c1).hasSize(1 + SIZE);
        assertThat(c0c1[0]).isEqualTo((byte) 3);
        assertThat(Arrays.copyOfRange(c0c1, 5, 9)).containsExactly(0, 0, 0, 0);
        assertThat(recorder.events).isEmpty();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void writesDigestC1WithAFlashPlayerDigestInScheme0() {
        EmbeddedChannel channel = client(true);
        byte[] c0c1 = drainOutbound(channel);
        assertThat(c0c1).hasSize(1 + SIZE);
        assertThat(c0c1[0]).isEqualTo((byte) 3);
        byte[] c1 = Arrays.copyOfRange(c0c1, 1, c0c1.length);
        assertThat(Arrays.copyOfRange(c1, 4, 8)).containsExactly(0x80, 0, 7, 2);
        assertThat(hasValidDigest(c1, 0, Arrays.copyOf(FP_KEY, 30))).isTrue();
        assertThat(hasValidDigest(c1, 1, Arrays.copyOf(FP_KEY, 30))).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest(name = "digest = {0}")
    @ValueSource(booleans = {false, true})
    void handshakesWithTheServerHandler(boolean digest) {
        Recorder serverRecorder = new Recorder();
        EmbeddedChannel server = new EmbeddedChannel(new ServerHandshakeHandler(TIMEOUT), serverRecorder);
        EmbeddedChannel client = client(digest);

        pump(client, server);

        assertThat(recorder.events).containsExactly(new HandshakeCompleted(digest));
        assertThat(serverRecorder.events).containsExactly(new HandshakeCompleted(digest));
        assertThat(client.pipeline().get(ClientHandshakeHandler.class)).isNull();
        assertThat(server.pipeline().get(ServerHandshakeHandler.class)).isNull();

        // Application bytes now flow untouched in both directions.
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        client.writeOutbound(Unpooled.wrappedBuffer(hello));
        server.writeOutbound(Unpooled.wrappedBuffer(hello));
        pump(client, server);
        assertThat(drainInbound(server)).isEqualTo(hello);
        assertThat(drainInbound(client)).isEqualTo(hello);

        client.advanceTimeBy(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        client.runScheduledPendingTasks();
        server.advanceTimeBy(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        server.runScheduledPendingTasks();
        assertThat(client.isOpen()).isTrue();
        assertThat(server.isOpen()).isTrue();
        assertThat(client.finishAndReleaseAll()).isFalse();
        assertThat(server.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest(name = "server digest in scheme {0}")
    @ValueSource(ints = {0, 1})
    void answersAServerDigestInEitherScheme(int scheme) {
        EmbeddedChannel channel = client(true);
        byte[] c1 = Arrays.copyOfRange(drainOutbound(channel), 1, 1 + SIZE);
        byte[] s1 = serverS1(new byte[] {4, 5, 0, 1}, scheme, 20 + scheme);
        byte[] s2 = randomBytes(SIZE, 30);
        System.arraycopy(responseSignature(s2, digestAt(c1, 0), FMS_KEY), 0, s2, SIZE - 32, 32);

        channel.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {3}, s1)));
        byte[] c2 = drainOutbound(channel);
        assertThat(c2).hasSize(SIZE);
        assertThat(Arrays.copyOfRange(c2, SIZE - 32, SIZE))
                .as("C2 signed with HMAC(HMAC(FP62, server digest), C2[0..1504])")
                .isEqualTo(responseSignature(c2, digestAt(s1, scheme), FP_KEY));
        assertThat(recorder.events).isEmpty();

        channel.writeInbound(Unpooled.wrappedBuffer(s2));
        assertThat(recorder.events).containsExactly(new HandshakeCompleted(true));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void digestClientFallsBackToPlainWithAPlainServer() {
        EmbeddedChannel channel = client(true);
        byte[] c1 = Arrays.copyOfRange(drainOutbound(channel), 1, 1 + SIZE);
        byte[] s1 = serverS1(new byte[] {0, 0, 0, 0}, -1, 40);

        channel.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {3}, s1, c1)));
        assertThat(drainOutbound(channel)).as("C2 echoes S1").isEqualTo(s1);
        assertThat(recorder.events).containsExactly(new HandshakeCompleted(false));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void digestClientContinuesWhenTheServerDigestIsInvalid() {
        EmbeddedChannel channel = client(true);
        drainOutbound(channel);
        byte[] s1 = serverS1(new byte[] {3, 5, 1, 1}, -1, 41); // a version but no digest

        channel.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {3}, s1, randomBytes(SIZE, 42))));
        assertThat(drainOutbound(channel)).as("C2 echoes S1").isEqualTo(s1);
        assertThat(recorder.events).containsExactly(new HandshakeCompleted(false));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void plainHandshakeFedOneByteAtATimeWithTrailingBytes() {
        EmbeddedChannel channel = client(false);
        byte[] c1 = Arrays.copyOfRange(drainOutbound(channel), 1, 1 + SIZE);
        byte[] s1 = serverS1(new byte[4], -1, 43);
        byte[] extra = randomBytes(7, 44);
        byte[] input = concat(new byte[] {3}, s1, c1, extra);
        for (int i = 0; i < input.length; i++) {
            if (i == 1 + SIZE) {
                assertThat(drainOutbound(channel)).as("C2 written as soon as S1 is in").isEqualTo(s1);
            }
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {input[i]}));
        }
        assertThat(recorder.events).first().isEqualTo(new HandshakeCompleted(false));
        assertThat(drainInbound(channel)).isEqualTo(extra);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void bytesAfterS2AreForwardedExactlyOnce() {
        EmbeddedChannel channel = client(false);
        byte[] c1 = Arrays.copyOfRange(drainOutbound(channel), 1, 1 + SIZE);
        byte[] extra = randomBytes(200, 45);
        channel.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {3}, serverS1(new byte[4], -1, 46), c1, extra)));
        assertThat(recorder.events).containsExactly(new HandshakeCompleted(false), "read 200");
        assertThat(drainInbound(channel)).isEqualTo(extra);
        assertThat(drainOutbound(channel)).hasSize(SIZE);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void rejectsAServerVersionOtherThanThree() {
        EmbeddedChannel channel = client(true);
        drainOutbound(channel);
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer("HTTP/1.1 400".getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(DecoderException.class)
                .cause()
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("in S0");
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[3000]));
        assertThat(drainOutbound(channel)).isEmpty();
        assertThat(recorder.events).isEmpty();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void timeoutClosesTheChannel() {
        EmbeddedChannel channel = client(true);
        drainOutbound(channel);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {3, 1, 2}));
        channel.advanceTimeBy(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(recorder.events).isEmpty();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
