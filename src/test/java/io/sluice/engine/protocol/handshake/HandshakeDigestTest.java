package io.sluice.engine.protocol.handshake;

import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.FMS_KEY;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.FP_KEY;
import static io.sluice.engine.protocol.handshake.HandshakeTestSupport.SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.sluice.engine.protocol.handshake.HandshakeDigest.Found;
import io.sluice.engine.protocol.handshake.HandshakeDigest.Scheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HandshakeDigestTest {

    @Test
    void keys() {
        byte[] fp = HandshakeDigest.flashPlayerKey();
        byte[] fms = HandshakeDigest.flashMediaServerKey();
        assertThat(fp).hasSize(62).isEqualTo(FP_KEY);
        assertThat(fms).hasSize(68).isEqualTo(FMS_KEY);
        assertThat(new String(fp, 0, HandshakeDigest.FP_KEY_PARTIAL, StandardCharsets.US_ASCII))
                .isEqualTo("Genuine Adobe Flash Player 001");
        assertThat(new String(fms, 0, HandshakeDigest.FMS_KEY_PARTIAL, StandardCharsets.US_ASCII))
                .isEqualTo("Genuine Adobe Flash Media Server 001");
        assertThat(Arrays.copyOfRange(fp, 30, 62)).isEqualTo(Arrays.copyOfRange(fms, 36, 68));
    }

    @Test
    void digestOffsetsStayInsideTheirHalf() {
        byte[] packet = new byte[SIZE];
        Arrays.fill(packet, (byte) 0xFF); // largest sum: 1020
        assertThat(Scheme.SCHEME_0.digestOffset(packet)).isEqualTo(1020 % 728 + 12);
        assertThat(Scheme.SCHEME_1.digestOffset(packet)).isEqualTo(1020 % 728 + 776);
        for (int sum = 0; sum <= 1020; sum++) {
            Arrays.fill(packet, (byte) 0);
            for (int base : new int[] {8, 772}) {
                int rest = sum;
                for (int i = 0; i < 4; i++) {
                    int b = Math.min(255, rest);
                    packet[base + i] = (byte) b;
                    rest -= b;
                }
            }
            int off0 = Scheme.SCHEME_0.digestOffset(packet);
            int off1 = Scheme.SCHEME_1.digestOffset(packet);
            assertThat(off0).isEqualTo(HandshakeTestSupport.offset(packet, 0)).isBetween(12, 772 - 32);
            assertThat(off1).isEqualTo(HandshakeTestSupport.offset(packet, 1)).isBetween(776, SIZE - 32);
        }
    }

    @ParameterizedTest
    @EnumSource(Scheme.class)
    void imprintedDigestsValidateAndAreFound(Scheme scheme) {
        int n = scheme.ordinal();
        byte[] c1 = HandshakeTestSupport.randomBytes(SIZE, 50 + n);
        byte[] digest = HandshakeDigest.imprint(c1, scheme, false);
        assertThat(HandshakeTestSupport.hasValidDigest(c1, n, Arrays.copyOf(FP_KEY, 30))).isTrue();
        assertThat(HandshakeDigest.validate(c1, scheme, false)).isTrue();
        assertThat(HandshakeDigest.validate(c1, scheme, true)).as("wrong key").isFalse();
        assertThat(HandshakeDigest.validate(c1, scheme.other(), false)).as("wrong scheme").isFalse();
        for (Scheme first : Scheme.values()) {
            Found found = HandshakeDigest.find(c1, first, false);
            assertThat(found).isNotNull();
            assertThat(found.scheme()).isEqualTo(scheme);
            assertThat(found.digest()).isEqualTo(digest);
        }
        assertThat(HandshakeDigest.find(c1, scheme, true)).isNull();

        byte[] s1 = HandshakeTestSupport.randomBytes(SIZE, 60 + n);
        HandshakeDigest.imprint(s1, scheme, true);
        assertThat(HandshakeTestSupport.hasValidDigest(s1, n, Arrays.copyOf(FMS_KEY, 36))).isTrue();
        s1[SIZE - 1] ^= 1;
        s1[0] ^= 1;
        assertThat(HandshakeDigest.find(s1, scheme, true)).isNull();
    }

    @Test
    void responsesAreSignedWithTheFullKeys() {
        byte[] peerDigest = HandshakeTestSupport.randomBytes(32, 70);
        byte[] s2 = HandshakeDigest.response(peerDigest, true);
        byte[] c2 = HandshakeDigest.response(peerDigest, false);
        assertThat(Arrays.copyOfRange(s2, SIZE - 32, SIZE))
                .isEqualTo(HandshakeTestSupport.responseSignature(s2, peerDigest, FMS_KEY));
        assertThat(Arrays.copyOfRange(c2, SIZE - 32, SIZE))
                .isEqualTo(HandshakeTestSupport.responseSignature(c2, peerDigest, FP_KEY));
        assertThat(HandshakeDigest.validateResponse(s2, peerDigest, true)).isTrue();
        assertThat(HandshakeDigest.validateResponse(s2, peerDigest, false)).isFalse();
        s2[3] ^= 1;
        assertThat(HandshakeDigest.validateResponse(s2, peerDigest, true)).isFalse();
    }

    @Test
    void rejectsPacketsOfTheWrongSize() {
        assertThatThrownBy(() -> HandshakeDigest.compute(new byte[100], Scheme.SCHEME_0, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void firstRoundPacketCarriesTheVersion() {
        byte[] packet = HandshakeDigest.firstRoundPacket(new byte[] {1, 2, 3, 4});
        assertThat(packet).hasSize(SIZE);
        assertThat(Arrays.copyOfRange(packet, 4, 8)).containsExactly(1, 2, 3, 4);
        assertThat(HandshakeDigest.hasVersion(packet)).isTrue();
        assertThat(HandshakeDigest.hasVersion(HandshakeDigest.firstRoundPacket(new byte[4]))).isFalse();
    }
}
