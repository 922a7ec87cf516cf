package io.sluice.engine.relay;

import static io.sluice.engine.relay.RelayFixture.WAIT;
import static io.sluice.engine.relay.RelayFixture.await;
import static io.sluice.engine.relay.RelayFixture.live;
import static io.sluice.engine.relay.RelayFixture.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.engine.RtmpServer;
import io.sluice.engine.client.ReconnectPolicy;
import io.sluice.engine.client.Recorder;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.TlsOptions;
import io.sluice.engine.spi.AccessGate;
import io.sluice.engine.spi.StreamEventListener;
import io.sluice.engine.stream.StreamKey;
import io.sluice.engine.tls.TlsListenerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RTMPS listener (self-signed certificate made with openssl): ffmpeg publishes and plays over
 * rtmps://, the engine's client verifies certificates and host names unless told otherwise, pushes
 * and pulls run over rtmps://, and a replaced certificate is used by new connections.
 */
@Timeout(60)
class RtmpsTest {
    private static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofMillis(400),
            2.0, 0.1, Duration.ofSeconds(10));

    @TempDir
    Path dir;

    private final RelayFixture fx = new RelayFixture();
    private Path cert;
    private Path key;

    @BeforeEach
    void certificate() throws Exception {
        RelayFixture.assumeInstalled("openssl");
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        makeCertificate(cert, key);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private void makeCertificate(Path certOut, Path keyOut) throws Exception {
        Process p = fx.start(dir, "openssl-" + certOut.getFileName(), List.of("openssl", "req", "-x509", "-newkey",
                "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1", "-keyout", keyOut.toString(),
                "-out", certOut.toString()));
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("openssl: %s", RelayFixture.log(dir, "openssl-" + certOut.getFileName())).isZero();
    }

    private RtmpServer tlsServer(Duration reload) {
        return fx.server(c -> c.withTls(new TlsListenerConfig(true, 0, cert, key, reload)), AccessGate.ALLOW_ALL,
                StreamEventListener.NONE);
    }

    private static String tlsUrl(RtmpServer server, String host, String stream) {
        return "rtmps://" + host + ":" + server.tlsPort() + "/live/" + stream;
    }

    @Test
    void ffmpegPublishesAndPlaysOverRtmpsAndTheClientVerifiesTheCertificate() throws Exception {
        RelayFixture.assumeInstalled("ffmpeg", "ffprobe");
        RtmpServer server = tlsServer(Duration.ofSeconds(10));
        assertThat(server.tlsPort()).isPositive().isNotEqualTo(server.port());

        Process publisher = ffmpeg(tlsUrl(server, "localhost", "secure"));
        await(Duration.ofSeconds(15), "ffmpeg publishing over rtmps", () -> live(server, "secure"));

        Process probe = fx.start(dir, "ffprobe", List.of("ffprobe", "-v", "error", "-show_entries",
                "stream=codec_type,codec_name,width", "-of", "csv=p=0", tlsUrl(server, "localhost", "secure")));
        assertThat(probe.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String streams = RelayFixture.log(dir, "ffprobe");
        assertThat(probe.exitValue()).as("ffprobe: %s", streams).isZero();
        assertThat(streams).contains("h264").contains("aac").contains("320");

        // certificate and host name checked: trusted cert + its name works, the rest does not
        RtmpClient trusted = fx.connect(tlsUrl(server, "localhost", "secure"),
                RtmpClient.Options.DEFAULT.withTls(TlsOptions.trust(cert)));
        Recorder recorder = new Recorder();
        trusted.play(recorder).get(5, TimeUnit.SECONDS);
        assertThat(recorder.awaitMedia(10, WAIT)).isTrue();

        assertThatThrownBy(() -> RtmpClient.connect(tlsUrl(server, "localhost", "secure")).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasStackTraceContaining("PKIX");
        assertThatThrownBy(() -> RtmpClient.connect(tlsUrl(server, "127.0.0.1", "secure"),
                RtmpClient.Options.DEFAULT.withTls(TlsOptions.trust(cert))).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasStackTraceContaining("127.0.0.1");
        RtmpClient insecure = fx.connect(tlsUrl(server, "127.0.0.1", "secure"),
                RtmpClient.Options.DEFAULT.withTls(TlsOptions.INSECURE));
        assertThat(insecure.isActive()).isTrue();

        // the plain listener still speaks plain RTMP
        RtmpClient plain = fx.connect(url(server, "secure"));
        Recorder plainRecorder = new Recorder();
        plain.play(plainRecorder).get(5, TimeUnit.SECONDS);
        assertThat(plainRecorder.awaitMedia(10, WAIT)).isTrue();
        publisher.destroy();
    }

    private Process ffmpeg(String url) {
        return fx.start(dir, "ffmpeg-publish", List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "info",
                "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i",
                "sine=frequency=440", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-t", "20", "-f", "flv", url));
    }

    @Test
    void pushesAndPullsRunOverRtmpsWithVerification() throws Exception {
        RtmpServer a = fx.server();
        RtmpServer b = tlsServer(Duration.ofSeconds(10));
        fx.publish(url(a, "src"), 0);
        await(WAIT, "source live", () -> live(a, "src"));

        PushRelay push = fx.add(new PushRelay(tlsUrl(b, "localhost", "pushed"),
                RtmpClient.Options.DEFAULT.withTls(TlsOptions.trust(cert)), FAST, Duration.ofSeconds(5)));
        push.start(a.streams(), new StreamKey("live", "src"), RtmpClient.nextExecutor()).get(5, TimeUnit.SECONDS);
        await(WAIT, "rtmps push live", () -> push.status().state() == RelayStatus.State.LIVE);
        await(WAIT, "pushed stream live on B", () -> live(b, "pushed"));
        assertThat(push.status().url()).startsWith("rtmps://localhost:" + b.tlsPort() + "/live/");

        PullRelay pull = fx.add(new PullRelay(a.streams(), new StreamKey("live", "back"),
                tlsUrl(b, "localhost", "pushed"), RtmpClient.Options.DEFAULT.withTls(TlsOptions.trust(cert)), FAST,
                Duration.ofSeconds(5), "rtmps pull"));
        pull.start();
        await(WAIT, "rtmps pull live", () -> live(a, "back"));
        RtmpClient player = fx.connect(url(a, "back"));
        Recorder recorder = new Recorder();
        player.play(recorder).get(5, TimeUnit.SECONDS);
        assertThat(recorder.awaitMedia(20, WAIT)).as("src → rtmps push → B → rtmps pull → back").isTrue();

        // verification on by default: an untrusted self-signed certificate is retried, never used
        PushRelay untrusted = fx.add(new PushRelay(tlsUrl(b, "localhost", "never"), RtmpClient.Options.DEFAULT,
                FAST, Duration.ofSeconds(5)));
        untrusted.start(a.streams(), new StreamKey("live", "src"), RtmpClient.nextExecutor()).get(5, TimeUnit.SECONDS);
        await(WAIT, "untrusted push retrying", () -> untrusted.status().reconnects() >= 1
                && untrusted.status().lastError() != null);
        assertThat(untrusted.status().lastError()).containsIgnoringCase("certification path");
        assertThat(live(b, "never")).isFalse();
    }

    @Test
    void aReplacedCertificateIsUsedByNewConnections() throws Exception {
        RtmpServer server = tlsServer(Duration.ofMillis(200));
        Path oldCert = dir.resolve("old.pem");
        Files.copy(cert, oldCert);
        RtmpClient before = fx.connect(tlsUrl(server, "localhost", "x"),
                RtmpClient.Options.DEFAULT.withTls(TlsOptions.trust(oldCert)));
        assertThat(before.isActive()).isTrue();

        Path newCert = dir.resolve("new-cert.pem");
        Path newKey = dir.resolve("new-key.pem");
        makeCertificate(newCert, newKey);
        Files.copy(newKey, key, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(newCert, cert, StandardCopyOption.REPLACE_EXISTING);
        long replaced = System.nanoTime();
        RtmpClient.Options trustNew = RtmpClient.Options.DEFAULT.withTls(TlsOptions.trust(newCert))
                .withTimeout(Duration.ofSeconds(2));
        await(WAIT, "a connection trusting only the new certificate", () -> {
            try {
                RtmpClient c = RtmpClient.connect(tlsUrl(server, "localhost", "x"), trustNew).get(5, TimeUnit.SECONDS);
                c.close();
                return true;
            } catch (Exception e) {
                return false;
            }
        });
        System.out.printf("certificate reload: new connections use it %d ms after the files changed%n",
                (System.nanoTime() - replaced) / 1_000_000);
        assertThatThrownBy(() -> RtmpClient.connect(tlsUrl(server, "localhost", "x"),
                RtmpClient.Options.DEFAULT.withTls(TlsOptions.trust(oldCert))).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(before.isActive()).as("open connections keep theirs").isTrue();

        // a broken file is ignored: the listener keeps the current certificate
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        Thread.sleep(600); // three reload checks
        RtmpClient still = RtmpClient.connect(tlsUrl(server, "localhost", "x"), trustNew).get(5, TimeUnit.SECONDS);
        still.close();
    }
}
