package io.sluice.engine.relay;

import static io.sluice.engine.relay.RelayFixture.await;
import static io.sluice.engine.relay.RelayFixture.live;
import static io.sluice.engine.relay.RelayFixture.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.engine.RtmpServer;
import io.sluice.engine.client.ReconnectPolicy;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.stream.StreamKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against nginx-rtmp (Debian's nginx with libnginx-mod-rtmp), started by the test on a free port: a
 * push from Sluice that ffprobe reads back from nginx, and a pull from nginx fed by ffmpeg.
 */
@Timeout(90)
class NginxRtmpTest {
    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final Path MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");
    private static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(200), Duration.ofSeconds(1),
            2.0, 0.1, Duration.ofSeconds(10));

    @TempDir
    Path dir;

    private final RelayFixture fx = new RelayFixture();
    private int nginxPort;

    @BeforeEach
    void startNginx() throws Exception {
        assumeTrue(Files.isExecutable(NGINX), NGINX + " not installed (apt-get install nginx): skipping");
        assumeTrue(Files.isReadable(MODULE), MODULE + " not installed (apt-get install libnginx-mod-rtmp): skipping");
        RelayFixture.assumeInstalled("ffmpeg", "ffprobe");
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nginxPort = probe.getLocalPort();
        }
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                load_module %s;
                daemon off;
                master_process off;
                worker_processes 1;
                pid %s;
                error_log %s info;
                events {}
                rtmp {
                    server {
                        listen 127.0.0.1:%d;
                        application live { live on; }
                    }
                }
                """.formatted(MODULE, dir.resolve("nginx.pid"), dir.resolve("error.log"), nginxPort));
        fx.start(dir, "nginx", List.of(NGINX.toString(), "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString()));
        await(Duration.ofSeconds(10), "nginx listening on " + nginxPort + " (error.log: " + dir.resolve("error.log")
                + ")", this::nginxUp);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private boolean nginxUp() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), nginxPort), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String nginxUrl(String stream) {
        return "rtmp://127.0.0.1:" + nginxPort + "/live/" + stream;
    }

    private Process ffmpegPublish(String name, String url) {
        return fx.start(dir, name, List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "info", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i", "sine=frequency=440",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "64k", "-t", "30", "-f", "flv", url));
    }

    /** ffprobe on a live URL: "codec_name,codec_type[,width,height]" lines. */
    private String probe(String name, String url) throws Exception {
        Process p = fx.start(dir, name, List.of("ffprobe", "-v", "error", "-rw_timeout", "10000000",
                "-show_entries", "stream=codec_type,codec_name,width,height", "-of", "csv=p=0", url));
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("ffprobe on %s finished", url).isTrue();
        String out = RelayFixture.log(dir, name);
        assertThat(p.exitValue()).as("ffprobe on %s: %s", url, out).isZero();
        return out;
    }

    @Test
    void aPushToNginxIsReadBackByFfprobe() throws Exception {
        RtmpServer sluice = fx.server();
        ffmpegPublish("ffmpeg-to-sluice", url(sluice, "studio"));
        await(Duration.ofSeconds(15), "ffmpeg live on Sluice", () -> live(sluice, "studio"));

        PushRelay push = fx.add(new PushRelay(nginxUrl("restreamed"), RtmpClient.Options.DEFAULT, FAST,
                Duration.ofSeconds(5)));
        long started = System.nanoTime();
        push.start(sluice.streams(), new StreamKey("live", "studio"), RtmpClient.nextExecutor()).get(5, TimeUnit.SECONDS);
        await(Duration.ofSeconds(10), "push to nginx live", () -> push.status().state() == RelayStatus.State.LIVE);
        System.out.printf("push to nginx-rtmp live after %d ms%n", (System.nanoTime() - started) / 1_000_000);

        String streams = probe("ffprobe-nginx", nginxUrl("restreamed"));
        assertThat(streams).contains("h264,video,320,240").contains("aac,audio");
        await(Duration.ofSeconds(5), "bytes counted", () -> push.status().bytes() > 10_000);
        assertThat(push.status().reconnects()).isZero();
    }

    @Test
    void aPullFromNginxFedByFfmpegIsALocalLiveStream() throws Exception {
        RtmpServer sluice = fx.server();
        ffmpegPublish("ffmpeg-to-nginx", nginxUrl("camera"));
        PullRelay pull = fx.add(new PullRelay(sluice.streams(), new StreamKey("live", "fromnginx"),
                nginxUrl("camera"), RtmpClient.Options.DEFAULT, FAST, Duration.ofSeconds(5), "pull from nginx"));
        pull.start();
        await(Duration.ofSeconds(15), "pulled stream live on Sluice", () -> live(sluice, "fromnginx"));
        await(Duration.ofSeconds(10), "pulled stream has video", () -> RelayFixture.snapshot(sluice, "fromnginx")
                .map(s -> s.videoCodec() != null).orElse(false));
        assertThat(RelayFixture.snapshot(sluice, "fromnginx").orElseThrow().videoCodec()).isEqualTo("H.264");

        String streams = probe("ffprobe-sluice", url(sluice, "fromnginx"));
        assertThat(streams).contains("h264,video,320,240").contains("aac,audio");
        assertThat(pull.status().state()).isEqualTo(RelayStatus.State.LIVE);
        assertThat(pull.status().bytes()).isPositive();
    }
}
