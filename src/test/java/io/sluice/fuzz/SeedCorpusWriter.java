package io.sluice.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.sluice.engine.RtmpServer;
import io.sluice.engine.RtmpServerConfig;
import io.sluice.engine.flv.FlvReader;
import io.sluice.engine.flv.FlvTag;
import io.sluice.engine.protocol.amf.AmfGoldenVectors;
import io.sluice.engine.protocol.amf.AmfLimits;
import io.sluice.engine.protocol.chunk.ChunkDecoder;
import io.sluice.engine.protocol.chunk.ChunkLimits;
import io.sluice.engine.protocol.message.CommandMessage;
import io.sluice.engine.protocol.message.DataMessage;
import io.sluice.engine.protocol.message.MediaMessage;
import io.sluice.engine.protocol.message.MessageCodec;
import io.sluice.engine.protocol.message.MessageType;
import io.sluice.engine.protocol.message.RtmpMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Writes the fuzz targets' seed corpora into {@code src/test/resources} (see the README there): captures
 * of real clients (ffmpeg, rtmpdump/librtmp, GStreamer's rtmp2 and librtmp elements) publishing to and
 * playing from a Sluice engine through {@link ClientCapture}, the AMF golden vectors, and prefixes of
 * the E-RTMP samples in {@code ../shared/media}. Not part of the suite; run it on purpose:
 *
 * <pre>./mvnw -o -Dsluice.frontend.skip=true test -Dtest=SeedCorpusWriter -Dsluice.fuzz.seeds=write</pre>
 *
 * Seeds whose target reads integers with Jazzer's FuzzedDataProvider get trailing bytes, which it
 * consumes from the end: one 0 byte means "one read" to {@link Splits}, and one byte picks a message type
 * or a request type by index.
 */
@EnabledIfSystemProperty(named = "sluice.fuzz.seeds", matches = "write")
class SeedCorpusWriter {

    private static final Path RESOURCES = Path.of("src/test/resources/io/sluice");
    private static final Path MEDIA = Path.of(System.getProperty("sluice.media.dir", "../shared/media"));
    private static final int HANDSHAKE = 1 + 1536 + 1536;
    private static final int MEDIA_SEED = 1024;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void write() throws Exception {
        Map<String, byte[]> captures = captureClients();
        for (Map.Entry<String, byte[]> c : captures.entrySet()) {
            byte[] bytes = c.getValue();
            assertThat(bytes.length).as(c.getKey()).isGreaterThan(HANDSHAKE);
            seed("fuzz/HandshakeFuzzTestInputs/serverHandshake", c.getKey(),
                    withTrailer(Arrays.copyOf(bytes, HANDSHAKE + 512), 0));
            byte[] chunks = Arrays.copyOfRange(bytes, HANDSHAKE, bytes.length);
            seed("fuzz/ChunkDecoderFuzzTestInputs/chunkStream", c.getKey(), withTrailer(chunks, 0));
            writeMessageSeeds(c.getKey(), chunks);
        }
        writeAmfSeeds();
        writeFlvSeeds();
        writeJsonSeeds();
        // the interleaving target shapes any bytes into a chunk stream: a few arbitrary ones to start from
        for (int i = 0; i < 4; i++) {
            byte[] random = new byte[256 << i];
            new Random(i).nextBytes(random);
            seed("fuzz/ChunkInterleavingFuzzTestInputs/interleavedMessages", "random-" + i, random);
        }
    }

    // ---- real clients -------------------------------------------------------------------------------

    private static Map<String, byte[]> captureClients() throws Exception {
        Path logs = Files.createTempDirectory("sluice-capture");
        Map<String, byte[]> captures = new LinkedHashMap<>();
        RtmpServer server = new RtmpServer(RtmpServerConfig.defaults().withHost("127.0.0.1").withPort(0));
        server.start();
        try (ClientCapture proxy = new ClientCapture(server.port())) {
            String via = "rtmp://127.0.0.1:" + proxy.port() + "/live/";
            String direct = "rtmp://127.0.0.1:" + server.port() + "/live/";
            captures.put("ffmpeg-publish", proxy.run(ffmpegPublish(via + "ffmpeg", 2), CLIENT_TIMEOUT,
                    logs.resolve("ffmpeg-publish.log")));
            captures.put("gst-rtmp2sink-publish", proxy.run(gstPublish("rtmp2sink", via + "gst2"), CLIENT_TIMEOUT,
                    logs.resolve("gst-rtmp2sink.log")));
            captures.put("gst-rtmpsink-publish", proxy.run(gstPublish("rtmpsink", via + "gst1"), CLIENT_TIMEOUT,
                    logs.resolve("gst-rtmpsink.log")));

            Process publisher = new ProcessBuilder(ffmpegPublish(direct + "live", 60))
                    .redirectErrorStream(true).redirectOutput(logs.resolve("live-publisher.log").toFile()).start();
            try {
                awaitLive(server, "live");
                String live = via + "live";
                captures.put("ffmpeg-play", proxy.run(List.of("ffmpeg", "-hide_banner", "-nostdin", "-i", live,
                        "-t", "2", "-f", "null", "-"), CLIENT_TIMEOUT, logs.resolve("ffmpeg-play.log")));
                Path dump = logs.resolve("rtmpdump.flv");
                captures.put("rtmpdump-play", proxy.run(List.of("rtmpdump", "-r", live, "--live", "-B", "2",
                        "-o", dump.toString()), CLIENT_TIMEOUT, logs.resolve("rtmpdump.log")));
                // what librtmp wrote: an FLV file of H.264 + AAC, for the FLV reader
                seed("fuzz/FlvReaderFuzzTestInputs/flvFile", "rtmpdump-h264-aac.flv",
                        Arrays.copyOf(Files.readAllBytes(dump), 16 * 1024));
                captures.put("gst-rtmp2src-play", proxy.run(List.of("gst-launch-1.0", "rtmp2src", "location=" + live,
                        "num-buffers=60", "!", "fakesink"), CLIENT_TIMEOUT, logs.resolve("gst-rtmp2src.log")));
                captures.put("gst-rtmpsrc-play", proxy.run(List.of("gst-launch-1.0", "rtmpsrc",
                        "location=" + live + " live=1", "num-buffers=60", "!", "fakesink"), CLIENT_TIMEOUT,
                        logs.resolve("gst-rtmpsrc.log")));
            } finally {
                publisher.destroy();
                publisher.waitFor();
            }
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
        return captures;
    }

    private static List<String> ffmpegPublish(String url, int seconds) {
        return List.of("ffmpeg", "-hide_banner", "-nostdin", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "64k", "-t", String.valueOf(seconds), "-f", "flv", url);
    }

    private static List<String> gstPublish(String sink, String url) {
        return List.of("gst-launch-1.0", "-e", "videotestsrc", "num-buffers=45", "!", "video/x-raw,width=320,height=180",
                "!", "x264enc", "tune=zerolatency", "key-int-max=30", "!", "h264parse", "!", "flvmux",
                "streamable=true", "name=mux", "!", sink, "location=" + url,
                "audiotestsrc", "num-buffers=60", "!", "avenc_aac", "!", "aacparse", "!", "mux.");
    }

    private static void awaitLive(RtmpServer server, String name) throws InterruptedException {
        long deadline = System.nanoTime() + CLIENT_TIMEOUT.toNanos();
        while (server.streamSnapshots().stream().noneMatch(s -> s.name().equals(name) && s.live()
                && s.videoCodec() != null)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("publisher never went live: " + server.streamSnapshots());
            }
            Thread.sleep(50); // a tool, not a test: polls the server with a deadline
        }
    }

    /**
     * The command, data and media messages of a captured chunk stream: AMF bodies for the AMF0 and
     * command targets, the first audio and video bodies of each kind for the media tag target.
     */
    private static void writeMessageSeeds(String client, byte[] chunks) throws IOException {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder(ChunkLimits.DEFAULT, AmfLimits.DEFAULT));
        channel.writeInbound(Unpooled.wrappedBuffer(chunks));
        int n = 0;
        int media = 0;
        RtmpMessage m;
        while ((m = channel.readInbound()) != null) {
            try {
                n++;
                if (m instanceof CommandMessage || m instanceof DataMessage) {
                    ByteBuf payload = MessageCodec.encodePayload(m, ByteBufAllocator.DEFAULT);
                    byte[] body = bytes(payload);
                    payload.release();
                    String name = client + "-" + n + "-" + (m instanceof CommandMessage c ? c.name() : "data");
                    seed("fuzz/Amf0FuzzTestInputs/amf0", name, body);
                    int type = m instanceof CommandMessage ? MessageType.COMMAND_AMF0 : MessageType.DATA_AMF0;
                    seed("fuzz/CommandFuzzTestInputs/commandMessage", name, withTrailer(body, typeIndex(type)));
                } else if (m instanceof MediaMessage mm && media < 6) {
                    media++;
                    byte[] body = bytes(mm.content());
                    seed("fuzz/MediaTagFuzzTestInputs/mediaTag", client + "-" + n + "-type" + mm.typeId(),
                            withTrailer(Arrays.copyOf(body, Math.min(body.length, MEDIA_SEED)), mm.typeId() == 9 ? 1 : 0));
                }
            } finally {
                ReferenceCountUtil.release(m);
            }
        }
        channel.finishAndReleaseAll();
    }

    private static int typeIndex(int type) {
        for (int i = 0; i < CommandFuzzTest.TYPES.length; i++) {
            if (CommandFuzzTest.TYPES[i] == type) {
                return i;
            }
        }
        throw new IllegalArgumentException("type " + type);
    }

    // ---- AMF golden vectors -------------------------------------------------------------------------

    private static void writeAmfSeeds() throws IOException {
        int i = 0;
        for (Arguments a : Stream.concat(AmfGoldenVectors.amf0(), AmfGoldenVectors.amf0DecodeOnly()).toList()) {
            seed("fuzz/Amf0FuzzTestInputs/amf0", "golden-" + i++, hex((String) a.get()[1]));
        }
        seed("fuzz/Amf0FuzzTestInputs/amf0", "golden-connect", hex(AmfGoldenVectors.CONNECT_COMMAND_HEX));
        seed("fuzz/Amf0FuzzTestInputs/amf0", "golden-set-data-frame", hex(AmfGoldenVectors.SET_DATA_FRAME_HEX));
        i = 0;
        for (Arguments a : AmfGoldenVectors.amf3().toList()) {
            byte[] value = hex((String) a.get()[1]);
            seed("fuzz/Amf3FuzzTestInputs/amf3", "golden-" + i, value);
            // the same value in an AMF3 command body: format byte, name, transaction id, then avmplus
            byte[] command = concat(new byte[] {0}, hex("02 0004 74657374 00 0000000000000000 11"), value);
            seed("fuzz/CommandFuzzTestInputs/commandMessage", "golden-amf3-" + i++,
                    withTrailer(command, typeIndex(MessageType.COMMAND_AMF3)));
        }
        seed("fuzz/CommandFuzzTestInputs/commandMessage", "golden-connect",
                withTrailer(hex(AmfGoldenVectors.CONNECT_COMMAND_HEX), typeIndex(MessageType.COMMAND_AMF0)));
        // an aggregate (7.1.6) of an audio and a video message, FLV tag framed
        byte[] aggregate = hex("08 000002 00000a 00 000000 af01 0000000d"
                + "09 000005 00000b 00 000000 2701000000 00000010");
        seed("fuzz/CommandFuzzTestInputs/commandMessage", "aggregate",
                withTrailer(aggregate, typeIndex(MessageType.AGGREGATE)));
    }

    // ---- FLV files and E-RTMP tags --------------------------------------------------------------------

    private static void writeFlvSeeds() throws IOException {
        for (String sample : List.of("hevc-aac.flv", "av1-aac.flv")) {
            Path file = MEDIA.resolve(sample);
            byte[] all = Files.readAllBytes(file);
            seed("fuzz/FlvReaderFuzzTestInputs/flvFile", sample, Arrays.copyOf(all, 16 * 1024));
            // the first tags of each kind: sequence starts, metadata, coded frames (E-RTMP ex-headers)
            int video = 0;
            int audio = 0;
            try (FlvReader reader = FlvReader.open(file)) {
                FlvTag tag;
                while ((video < 4 || audio < 2) && (tag = reader.next()) != null) {
                    try {
                        boolean isVideo = tag.isVideo();
                        if ((isVideo && video++ < 4) || (tag.isAudio() && audio++ < 2)) {
                            byte[] body = bytes(tag.payload());
                            seed("fuzz/MediaTagFuzzTestInputs/mediaTag", sample + "-" + reader.tagCount(),
                                    withTrailer(Arrays.copyOf(body, Math.min(body.length, MEDIA_SEED)), isVideo ? 1 : 0));
                        }
                    } finally {
                        tag.release();
                    }
                }
            }
        }
    }

    // ---- JSON: webhook replies and REST request bodies -------------------------------------------------

    private static void writeJsonSeeds() throws IOException {
        // trailer, read from the end: hook ON_PUBLISH, format JSON, status 200, Content-Type
        // application/json, no Location, one piece (see WebhookReplyFuzzTest#callbackReply)
        byte[] trailer = {0, 1, 1, 100, 0, 1, 1};
        List<String> replies = List.of("", "{}", "0", "{\"code\":0}", "{\"allow\":true}", "{\"allow\":false,\"reason\":\"bad token\"}",
                "{\"allow\":true,\"streamName\":\"alice\",\"record\":true}", "{\"streamName\":\"../etc\"}", "[]", "null",
                "{\"allow\":\"yes\"}");
        int i = 0;
        for (String reply : replies) {
            seed("webhook/WebhookReplyFuzzTestInputs/callbackReply", "reply-" + i++,
                    concat(reply.getBytes(StandardCharsets.UTF_8), trailer));
        }
        Map<String, String> bodies = Map.of(
                "CreateKeyRequest", "{\"label\":\"Main camera\",\"app\":\"live\",\"publicName\":\"main\",\"enabled\":true,"
                        + "\"notBefore\":\"2026-01-01T00:00:00Z\",\"notAfter\":\"2027-01-01T00:00:00Z\",\"autoRecord\":false,"
                        + "\"maxPublishers\":1}",
                "UpdateKeyRequest", "{\"label\":\"x\",\"publicName\":\"a.b\",\"enabled\":false,\"autoRecord\":true,"
                        + "\"maxPublishers\":2,\"notAfter\":null}",
                "RotateRequest", "{\"graceSeconds\":60}",
                "PlayTokenRequest", "{\"ttlSeconds\":3600}",
                "TargetRequest", "{\"name\":\"YouTube\",\"url\":\"rtmp://a.rtmp.youtube.com/live2\",\"streamKey\":\"k\","
                        + "\"enabled\":true,\"tlsVerify\":true,\"trustedCertificate\":null}",
                "FilePublishRequest", "{\"path\":\"media/loop.flv\",\"loop\":true}",
                "StartRequest", "{\"mode\":\"ALL\"}",
                "CreateTokenRequest", "{\"name\":\"ci\",\"scopes\":[\"streams:read\",\"keys:write\"]}");
        List<Class<?>> types = RestBodyFuzzTest.requestBodyTypes();
        for (int t = 0; t < types.size(); t++) {
            String body = bodies.get(types.get(t).getSimpleName());
            if (body != null) {
                seed("fuzz/RestBodyFuzzTestInputs/requestBody", types.get(t).getSimpleName(),
                        withTrailer(body.getBytes(StandardCharsets.UTF_8), t));
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** Seeds written in this run, by directory and content: repeated messages (GStreamer resends onMetaData) once. */
    private static final Set<String> WRITTEN = new HashSet<>();

    private static void seed(String dir, String name, byte[] bytes) throws IOException {
        if (!WRITTEN.add(dir + "/" + HexFormat.of().formatHex(bytes))) {
            return;
        }
        Path d = RESOURCES.resolve(dir);
        Files.createDirectories(d);
        Files.write(d.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_")), bytes);
    }

    private static byte[] withTrailer(byte[] bytes, int trailer) {
        byte[] out = Arrays.copyOf(bytes, bytes.length + 1);
        out[bytes.length] = (byte) trailer;
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        return b;
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("[\\s_]", ""));
    }
}
