package io.sluice.engine.protocol.handshake;

import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.FMS_KEY;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.FP_KEY;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.SIZE;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.concat;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.digestAt;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.digestC1;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.drainInbound;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.drainOutbound;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.hasValidDigest;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.plainC1;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.randomBytes;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.responseSignature;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.sluice.engine.protocol.RtmpProtocolException;
import io.sluice.engine.protocol.handshake.HandshakeTestSupport.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerHandshakeHandlerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Recorder recorder = new Recorder();
    private final EmbeddedChannel channel = new EmbeddedChannel(new ServerHandshakeHandler(TIMEOUT), recorder);

    private static byte[] c0c1(byte[] c1) {
        return concat(new byte[] {3}, c1);
    }

    private void assertCompleted(boolean digest) {
        assertThat(recorder.events).containsExactly(new HandshakeCompleted(digest));
        assertThat(channel.pipeline().get(ServerHandshakeHandler.class)).isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void plainHandshakeFedWhole() {
        byte[] c1 = plainC1(1);
        channel.writeInbound(Unpooled.wrappedBuffer(c0c1(c1)));

        byte[] response = drainOutbound(channel);
        assertThat(response).hasSize(1 + 2 * SIZE);
        assertThat(response[0]).isEqualTo((byte) 3);
        byte[] s1 = Arrays.copyOfRange(response, 1, 1 + SIZE);
        byte[] s2 = Arrays.copyOfRange(response, 1 + SIZE, response.length);
        assertThat(Arrays.copyOfRange(s1, 4, 8)).containsExactly(0, 0, 0, 0);
        assertThat(s2).isEqualTo(c1);
        assertThat(recorder.events).isEmpty();

        channel.writeInbound(Unpooled.wrappedBuffer(s1)); // C2 = echo of S1
        assertCompleted(false);
        assertThat(drainInbound(channel)).isEmpty();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void plainHandshakeFedOneByteAtATime() {
        byte[] c1 = plainC1(2);
        byte[] c0c1 = c0c1(c1);
        for (int i = 0; i < c0c1.length; i++) {
            assertThat(drainOutbound(channel)).as("nothing written before the whole C1 arrived").isEmpty();
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {c0c1[i]}));
        }
        byte[] response = drainOutbound(channel);
        assertThat(response).hasSize(1 + 2 * SIZE);
        assertThat(response[0]).isEqualTo((byte) 3);
        assertThat(Arrays.copyOfRange(response, 1 + SIZE, response.length)).isEqualTo(c1);

        byte[] c2 = Arrays.copyOfRange(response, 1, 1 + SIZE);
        for (int i = 0; i < c2.length; i++) {
            assertThat(recorder.events).isEmpty();
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {c2[i]}));
        }
        assertCompleted(false);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest(name = "client digest in scheme {0}")
    @ValueSource(ints = {0, 1})
    void digestHandshake(int scheme) {
        byte[] c1 = digestC1(scheme, 10 + scheme);
        byte[] clientDigest = digestAt(c1, scheme);
        channel.writeInbound(Unpooled.wrappedBuffer(c0c1(c1)));

        byte[] response = drainOutbound(channel);
        assertThat(response).hasSize(1 + 2 * SIZE);
        assertThat(response[0]).isEqualTo((byte) 3);
        byte[] s1 = Arrays.copyOfRange(response, 1, 1 + SIZE);
        byte[] s2 = Arrays.copyOfRange(response, 1 + SIZE, response.length);

        assertThat(Arrays.copyOfRange(s1, 4, 8)).containsExactly(4, 5, 0, 1);
        assertThat(hasValidDigest(s1, scheme, Arrays.copyOf(FMS_KEY, 36)))
                .as("S1 carries an FMS-key digest in the client's scheme").isTrue();
        assertThat(hasValidDigest(s1, 1 - scheme, Arrays.copyOf(FMS_KEY, 36))).isFalse();
        assertThat(Arrays.copyOfRange(s2, SIZE - 32, SIZE))
                .as("S2 signed with HMAC(HMAC(FMS68, client digest), S2[0..1504])")
                .isEqualTo(responseSignature(s2, clientDigest, FMS_KEY));
        assertThat(s2).isNotEqualTo(c1);

        // C2 as a Flash Player would build it from our S1 digest.
        byte[] c2 = randomBytes(SIZE, 99);
        byte[] signature = responseSignature(c2, digestAt(s1, scheme), FP_KEY);
        System.arraycopy(signature, 0, c2, SIZE - 32, 32);
        channel.writeInbound(Unpooled.wrappedBuffer(c2));
        assertCompleted(true);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void digestHandshakeFedOneByteAtATime() {
        byte[] c1 = digestC1(0, 3);
        byte[] input = concat(c0c1(c1), randomBytes(SIZE, 4)); // a C2 that does not match is still accepted
        for (byte b : input) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        byte[] response = drainOutbound(channel);
        assertThat(response).hasSize(1 + 2 * SIZE);
        byte[] s2 = Arrays.copyOfRange(response, 1 + SIZE, response.length);
        assertThat(Arrays.copyOfRange(s2, SIZE - 32, SIZE)).isEqualTo(responseSignature(s2, digestAt(c1, 0), FMS_KEY));
        assertCompleted(true);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void versionWithoutValidDigestFallsBackToPlain() {
        byte[] c1 = digestC1(0, 5);
        c1[100] ^= 1; // corrupts the digest (or the hashed data): neither scheme validates
        c1[1000] ^= 1;
        channel.writeInbound(Unpooled.wrappedBuffer(c0c1(c1)));

        byte[] response = drainOutbound(channel);
        assertThat(Arrays.copyOfRange(response, 1 + 4, 1 + 8)).containsExactly(0, 0, 0, 0);
        assertThat(Arrays.copyOfRange(response, 1 + SIZE, response.length)).isEqualTo(c1);
        channel.writeInbound(Unpooled.wrappedBuffer(randomBytes(SIZE, 6)));
        assertCompleted(false);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void zeroVersionIsPlainEvenWithAValidDigest() {
        byte[] c1 = digestC1(1, 7);
        Arrays.fill(c1, 4, 8, (byte) 0);
        System.arraycopy(HandshakeTestSupport.digestOf(c1, 1, Arrays.copyOf(FP_KEY, 30)), 0,
                c1, HandshakeTestSupport.offset(c1, 1), 32);
        channel.writeInbound(Unpooled.wrappedBuffer(concat(c0c1(c1), new byte[SIZE])));
        byte[] response = drainOutbound(channel);
        assertThat(Arrays.copyOfRange(response, 1 + SIZE, response.length)).isEqualTo(c1);
        assertCompleted(false);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void bytesAfterC2InTheSameBufferAreForwardedExactlyOnce() {
        byte[] extra = randomBytes(300, 8);
        byte[] later = randomBytes(50, 9);
        channel.writeInbound(Unpooled.wrappedBuffer(concat(c0c1(plainC1(8)), randomBytes(SIZE, 10), extra)));

        assertThat(recorder.events).containsExactly(new HandshakeCompleted(false), "read 300");
        assertThat(channel.pipeline().get(ServerHandshakeHandler.class)).isNull();
        drainOutbound(channel);
        assertThat(drainInbound(channel)).isEqualTo(extra);

        channel.writeInbound(Unpooled.wrappedBuffer(later));
        assertThat(recorder.events).containsExactly(new HandshakeCompleted(false), "read 300", "read 50");
        assertThat(drainInbound(channel)).isEqualTo(later);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void bytesAfterC2InTheSameSmallChunkAreForwardedExactlyOnce() {
        byte[] c2 = randomBytes(SIZE, 11);
        byte[] extra = {1, 2, 3, 4, 5};
        channel.writeInbound(Unpooled.wrappedBuffer(c0c1(plainC1(12))));
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(c2, SIZE - 10)));
        channel.writeInbound(Unpooled.wrappedBuffer(concat(Arrays.copyOfRange(c2, SIZE - 10, SIZE), extra)));

        assertThat(recorder.events).containsExactly(new HandshakeCompleted(false), "read 5");
        assertThat(drainInbound(channel)).isEqualTo(extra);
        drainOutbound(channel);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest(name = "version byte {0}")
    @ValueSource(ints = {0, 6, 8, 0x16, 'G', 255})
    void rejectsAnyVersionByteButThree(int version) {
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) version})))
                .isInstanceOf(DecoderException.class)
                .cause()
                .isInstanceOf(HandshakeException.class)
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining("unsupported RTMP version byte " + version)
                .hasMessageContaining("expected 3");
        // Further input is discarded, without a second error and without a response.
        channel.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {3}, plainC1(13), new byte[SIZE])));
        assertThat(drainOutbound(channel)).isEmpty();
        assertThat(drainInbound(channel)).isEmpty();
        assertThat(recorder.events).isEmpty();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void rtmpeIsRejectedWithAClearMessage() {
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {6}, plainC1(14)))))
                .rootCause()
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("RTMPE")
                .hasMessageContaining("not supported");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void timeoutClosesTheChannel() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {3, 0, 0}));
        // EmbeddedChannel's clock is the real one plus what we advance: leave a margin for the former.
        channel.advanceTimeBy(TIMEOUT.toMillis() - 1000, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();

        channel.advanceTimeBy(1000, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(recorder.events).isEmpty();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void timeoutBetweenS2AndC2ClosesTheChannel() {
        channel.writeInbound(Unpooled.wrappedBuffer(c0c1(plainC1(15))));
        drainOutbound(channel);
        channel.advanceTimeBy(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(recorder.events).isEmpty();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void completedHandshakeCancelsTheTimeout() {
        channel.writeInbound(Unpooled.wrappedBuffer(concat(c0c1(plainC1(16)), new byte[SIZE])));
        drainOutbound(channel);
        channel.advanceTimeBy(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.runScheduledPendingTasks()).as("no scheduled task left").isEqualTo(-1);
        assertCompleted(false);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void closingTheChannelCancelsTheTimeout() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {3}));
        channel.close();
        assertThat(channel.runScheduledPendingTasks()).as("no scheduled task left").isEqualTo(-1);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void rejectsANonPositiveTimeout() {
        assertThatThrownBy(() -> new ServerHandshakeHandler(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ServerHandshakeHandler(null)).isInstanceOf(NullPointerException.class);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
