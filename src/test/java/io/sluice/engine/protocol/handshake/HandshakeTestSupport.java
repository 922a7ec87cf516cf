package io.sluice.engine.protocol.handshake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Test helpers that re-derive the digest handshake independently of {@link HandshakeDigest}, so the
 * tests check the production code against a second implementation rather than against itself.
 */
final class HandshakeTestSupport {

    static final int SIZE = 1536;

    private static final byte[] SUFFIX =
            HexFormat.of().parseHex("F0EEC24A8068BEE82E00D0D1029E7E576EEC5D2D29806FAB93B8E636CFEB31AE");
    static final byte[] FP_KEY = concat("Genuine Adobe Flash Player 001".getBytes(StandardCharsets.US_ASCII), SUFFIX);
    static final byte[] FMS_KEY = concat("Genuine Adobe Flash Media Server 001".getBytes(StandardCharsets.US_ASCII), SUFFIX);

    private HandshakeTestSupport() {
    }

    /** Offset of the digest for scheme 0 (base 8) or 1 (base 772). */
    static int offset(byte[] packet, int scheme) {
        int base = scheme == 0 ? 8 : 772;
        int sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += packet[base + i] & 0xFF;
        }
        return sum % 728 + base + 4;
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** HMAC over the packet without the 32 bytes at the scheme's offset. */
    static byte[] digestOf(byte[] packet, int scheme, byte[] key) {
        int off = offset(packet, scheme);
        byte[] message = concat(Arrays.copyOfRange(packet, 0, off), Arrays.copyOfRange(packet, off + 32, SIZE));
        return hmac(key, message);
    }

    static byte[] digestAt(byte[] packet, int scheme) {
        int off = offset(packet, scheme);
        return Arrays.copyOfRange(packet, off, off + 32);
    }

    static boolean hasValidDigest(byte[] packet, int scheme, byte[] key) {
        return Arrays.equals(digestOf(packet, scheme, key), digestAt(packet, scheme));
    }

    /** A Flash-Player-like C1: version 9.0.124.2 and an FP digest (30-byte key) in {@code scheme}. */
    static byte[] digestC1(int scheme, long seed) {
        byte[] c1 = randomBytes(SIZE, seed);
        c1[4] = 9;
        c1[5] = 0;
        c1[6] = 124;
        c1[7] = 2;
        byte[] digest = digestOf(c1, scheme, Arrays.copyOf(FP_KEY, 30));
        System.arraycopy(digest, 0, c1, offset(c1, scheme), 32);
        return c1;
    }

    /** A plain C1: time, zeros, random. */
    static byte[] plainC1(long seed) {
        byte[] c1 = randomBytes(SIZE, seed);
        Arrays.fill(c1, 4, 8, (byte) 0);
        return c1;
    }

    /** HMAC(HMAC(fullKey, peerDigest), packet[0..1504]). */
    static byte[] responseSignature(byte[] packet, byte[] peerDigest, byte[] fullKey) {
        return hmac(hmac(fullKey, peerDigest), Arrays.copyOf(packet, SIZE - 32));
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** Drains and releases every outbound ByteBuf of {@code channel}, returning their bytes. */
    static byte[] drainOutbound(EmbeddedChannel channel) {
        return drain(channel, true);
    }

    /** Drains and releases every inbound ByteBuf that reached the end of {@code channel}'s pipeline. */
    static byte[] drainInbound(EmbeddedChannel channel) {
        return drain(channel, false);
    }

    private static byte[] drain(EmbeddedChannel channel, boolean outbound) {
        byte[] all = new byte[0];
        Object msg;
        while ((msg = outbound ? channel.readOutbound() : channel.readInbound()) != null) {
            try {
                all = concat(all, ByteBufUtil.getBytes((ByteBuf) msg));
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
        return all;
    }

    /** Moves outbound buffers between two channels until neither has anything left to send. */
    static void pump(EmbeddedChannel a, EmbeddedChannel b) {
        boolean moved;
        do {
            moved = transfer(a, b) | transfer(b, a);
        } while (moved);
    }

    private static boolean transfer(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        Object msg;
        while ((msg = from.readOutbound()) != null) {
            to.writeInbound(msg);
            moved = true;
        }
        return moved;
    }

    /** Records user events and reads, in order, and passes both on. */
    static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            events.add("read " + ((ByteBuf) msg).readableBytes());
            ctx.fireChannelRead(msg);
        }
    }
}
