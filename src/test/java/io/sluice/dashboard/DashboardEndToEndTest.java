package io.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.RtmpServer;
import io.sluice.engine.stream.StreamSnapshot;
import io.sluice.testing.Ffmpeg;
import io.sluice.testing.SluiceSpringTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The dashboard in Debian's headless Chromium against the whole application: sign in, create a stream
 * key, publish with ffmpeg using the OBS settings the page shows, watch the stream appear with its stats,
 * preview it, kick it, find its recording and play it; API tokens, callbacks, a phone-sized screen,
 * a lost session and signing out. Screenshots of every screen go to target/dashboard-screenshots/.
 *
 * <p>The preview and the recording depend on HTTP-FLV and on recordings: their checks are collected and
 * reported together at the end, so one missing feature does not hide the others.
 */
@SluiceSpringTest
class DashboardEndToEndTest {
    private static final Duration UI = Duration.ofSeconds(10);
    private static final String STREAM = "live/e2e-cam";

    @LocalServerPort
    int httpPort;

    @Autowired
    RtmpServer rtmp;

    @TempDir
    Path temp;

    private Browser browser;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (browser != null) {
            browser.close();
        }
    }

    private String base() {
        // 127.0.0.1, not localhost: the server URL the page shows is built from the host the browser used
        return "http://127.0.0.1:" + httpPort;
    }

    private boolean serverSeesLive(String app, String name) {
        return rtmp.streamSnapshots().stream().anyMatch(s -> s.app().equals(app) && s.name().equals(name) && s.live());
    }

    private boolean serverHas(String app, String name) {
        return rtmp.streamSnapshots().stream().map(StreamSnapshot::name).anyMatch(name::equals);
    }

    private void go(String route) {
        browser.click(".sidebar [data-route='" + route + "']");
        browser.awaitElement(UI, ".screen[data-screen='" + route + "']");
    }

    private double videoTime(String css) {
        Object t = browser.js("const v = document.querySelector(arguments[0]); return v ? v.currentTime : -1;", css);
        return t instanceof Number n ? n.doubleValue() : -1;
    }

    /** Waits until the video plays: its currentTime passes one second and keeps advancing. */
    private boolean awaitPlaying(String videoCss, Duration timeout) {
        try {
            browser.await(timeout, "video " + videoCss + " playing", d -> videoTime(videoCss) > 1.0);
            double first = videoTime(videoCss);
            browser.await(Duration.ofSeconds(5), "video " + videoCss + " advancing", d -> videoTime(videoCss) > first + 0.5);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    private String playerState(String playerCss) {
        List<WebElement> found = browser.findAll(playerCss);
        return found.isEmpty() ? "(no player)" : found.get(0).getAttribute("data-state") + ": " + found.get(0).getText();
    }

    @Test
    void signInCreateAKeyPublishPreviewKickAndReplay() throws Exception {
        Browser.assumeAvailable();
        Ffmpeg.assumeInstalled();
        long started = System.nanoTime();
        SoftAssertions later = new SoftAssertions();
        browser = new Browser(Browser.buildDir().resolve("dashboard-screenshots"));

        // ---- sign in: the dashboard sends a stranger to its sign-in page ---------------------------
        browser.open(base() + "/");
        browser.await(UI, "the sign-in page", d -> d.getCurrentUrl().contains("/login.html"));
        browser.awaitElement(UI, "#login-form");
        browser.screenshot("sign-in");

        browser.type("#username", "admin");
        browser.type("#password", "wrong-password");
        browser.click("#login-submit");
        assertThat(browser.awaitElement(UI, "#login-error").getText()).isEqualTo("Wrong user name or password.");
        browser.screenshot("sign-in-failed");

        browser.type("#password", "admin-password");
        browser.click("#login-submit");
        browser.awaitElement(UI, ".screen[data-screen='overview']");
        browser.await(UI, "the overview's numbers", d -> "0".equals(browser.text("[data-stat='streams']")));
        assertThat(browser.text("[data-stat='players']")).isEqualTo("0");
        assertThat(browser.text(".live-list")).contains("Nothing is live");
        browser.screenshot("overview-empty");

        // ---- stream keys: empty state, a field error from the API's problem, then a key ------------
        go("keys");
        browser.awaitElement(UI, ".key-list .empty");
        assertThat(browser.text(".key-list")).contains("No stream keys yet");
        browser.screenshot("keys-empty");

        browser.type("form[data-form='create-key'] input[name='publicName']", "bad name!");
        browser.click("[data-action='create-key']");
        WebElement labelError = browser.awaitElement(UI, "[data-error-for='label']");
        assertThat(labelError.getText()).isNotBlank();
        assertThat(browser.text("[data-error-for='publicName']")).contains("letters, digits");
        assertThat(browser.text("form[data-form='create-key'] .form-error")).startsWith("Invalid request");
        browser.screenshot("keys-invalid");

        browser.type("form[data-form='create-key'] input[name='label']", "E2E camera");
        browser.type("form[data-form='create-key'] input[name='publicName']", "e2e-cam");
        browser.click("form[data-form='create-key'] input[name='autoRecord']");
        browser.click("[data-action='create-key']");
        WebElement created = browser.awaitElement(UI, "[data-new-secret]");
        String serverUrl = created.findElement(By.cssSelector("[data-field='server-url']")).getText();
        String streamKey = created.findElement(By.cssSelector("[data-field='stream-key']")).getText();
        String ffmpegLine = created.findElement(By.cssSelector("[data-field='ffmpeg']")).getText();
        assertThat(serverUrl).isEqualTo("rtmp://127.0.0.1:" + rtmp.port() + "/live");
        assertThat(streamKey).hasSizeGreaterThan(16);
        assertThat(ffmpegLine).startsWith("ffmpeg ").endsWith("-f flv " + serverUrl + "/" + streamKey);
        assertThat(browser.text("[data-key] h3")).contains("E2E camera").contains("Active").contains("Auto-record");
        browser.screenshot("key-created");

        // ---- ffmpeg publishes with what the page showed; the stream appears with its stats ---------
        Process ffmpeg = Ffmpeg.publish(serverUrl + "/" + streamKey, 30, temp.resolve("ffmpeg.log"));
        processes.add(ffmpeg);
        go("streams");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!serverSeesLive("live", "e2e-cam")) {
            assertThat(System.nanoTime()).as("ffmpeg never went live; its log:%n%s",
                    Files.exists(temp.resolve("ffmpeg.log")) ? Files.readString(temp.resolve("ffmpeg.log")) : "")
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
        long live = System.nanoTime();
        String row = "tr[data-stream='" + STREAM + "']";
        browser.await(Duration.ofSeconds(3), "the stream with its stats in the table within 3 s", d ->
                browser.present(row) && browser.text(row + " td[data-label='Resolution']").equals("320×240")
                        && browser.text(row + " td[data-label='Codecs']").equals("H.264 / AAC"));
        Duration appeared = Duration.ofNanos(System.nanoTime() - live);
        assertThat(appeared).isLessThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(browser.text(row + " td[data-label='Key']")).isEqualTo("E2E camera");
        browser.await(Duration.ofSeconds(6), "fps, bitrate and uptime", d ->
                !browser.text(row + " td[data-label='FPS']").equals("—")
                        && !browser.text(row + " .bitrate-value").equals("0 b/s")
                        && !browser.text(row + " td[data-label='Uptime']").equals("0:00"));
        browser.screenshot("streams");
        browser.resize(390, 844);
        browser.screenshot("phone-streams");
        browser.resize(1366, 900);

        // ---- the overview counts it and charts the traffic -----------------------------------------
        go("overview");
        browser.await(UI, "one live stream on the overview", d -> "1".equals(browser.text("[data-stat='streams']")));
        browser.await(UI, "bandwidth in", d -> !browser.text("[data-stat='in']").equals("0 b/s"));
        Thread.sleep(4500); // a few more points on the chart
        browser.screenshot("overview-live");

        // ---- its detail: the preview plays (HTTP-FLV through mpegts.js) ----------------------------
        browser.click(".live-item");
        String detail = "tr[data-detail='" + STREAM + "']";
        browser.awaitElement(UI, detail + " video");
        boolean previewPlays = awaitPlaying(detail + " video", Duration.ofSeconds(12));
        later.assertThat(previewPlays).as("the preview plays /live/e2e-cam.flv (video currentTime advances); player: %s",
                playerState(detail + " .player")).isTrue();
        browser.await(UI, "the stream's facts", d -> browser.text(detail + " .facts").contains("Publisher"));
        browser.screenshot("stream-detail");

        // ---- kick: the stream goes, ffmpeg is cut off ----------------------------------------------
        browser.click(detail + " [data-action='kick']");
        browser.awaitElement(UI, "dialog .dialog-form");
        browser.screenshot("kick-dialog");
        browser.click("dialog [data-action='confirm']");
        browser.await(Duration.ofSeconds(8), "the stream gone from the table", d -> !browser.present(row));
        assertThat(ffmpeg.waitFor(5, TimeUnit.SECONDS)).as("ffmpeg still publishing after the kick").isTrue();
        assertThat(serverHas("live", "e2e-cam")).isFalse();
        browser.awaitElement(UI, ".screen[data-screen='streams'] .empty");
        browser.screenshot("streams-after-kick");

        // ---- recordings: the auto-recorded publish is listed and plays -----------------------------
        go("recordings");
        String recording = "tr[data-recording]";
        boolean listed;
        try {
            browser.await(Duration.ofSeconds(10), "a recording of e2e-cam", d ->
                    browser.findAll(recording).stream().anyMatch(e -> e.getText().contains("e2e-cam")));
            listed = true;
        } catch (TimeoutException e) {
            listed = false;
        }
        later.assertThat(listed).as("the auto-recorded publish is listed under Recordings; the page says: %s",
                browser.text(".screen")).isTrue();
        if (listed) {
            browser.click(recording + " [data-action='open-recording']");
            browser.awaitElement(UI, "tr[data-detail] [data-action='play-segment']");
            browser.click("tr[data-detail] [data-action='play-segment']");
            boolean replays = awaitPlaying("tr[data-detail] video", Duration.ofSeconds(10));
            later.assertThat(replays).as("a recorded segment plays in the browser; player: %s",
                    playerState("tr[data-detail] .player")).isTrue();
            later.assertThat(browser.find("tr[data-detail] [data-action='download-segment']").getAttribute("href"))
                    .as("the segment's download link").isNotBlank();
        }
        browser.screenshot("recordings");

        // ---- callbacks: none configured, and the page says how --------------------------------------
        go("callbacks");
        browser.await(UI, "the callbacks' empty state", d -> browser.text(".screen").contains("No callbacks configured"));
        browser.screenshot("callbacks");

        // ---- API tokens: created and shown once, it works, revoked ----------------------------------
        go("tokens");
        browser.awaitElement(UI, "form[data-form='create-token']");
        browser.type("form[data-form='create-token'] input[name='name']", "e2e script");
        browser.click("[data-action='create-token']");
        String token = browser.awaitElement(UI, "[data-new-token] [data-field='token']").getText();
        assertThat(token).startsWith("slc_");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest withToken = HttpRequest.newBuilder(URI.create(base() + "/api/streams"))
                .header("Authorization", "Bearer " + token).build();
        assertThat(http.send(withToken, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        browser.awaitElement(UI, "tr[data-token] [data-action='revoke']");
        browser.screenshot("token-created");
        browser.click("tr[data-token] [data-action='revoke']");
        browser.click("dialog [data-action='confirm']");
        browser.await(UI, "the token revoked", d -> browser.text("tr[data-token]").contains("Revoked"));
        assertThat(http.send(withToken, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);

        // ---- a phone -------------------------------------------------------------------------------
        browser.resize(390, 844);
        go("overview");
        browser.screenshot("phone-overview");
        go("keys");
        browser.awaitElement(UI, "[data-key]");
        browser.js("document.querySelector('[data-key] details').open = true");
        browser.screenshot("phone-keys");
        browser.resize(1366, 900);

        // ---- the session ends: the next poll goes to the sign-in page, which comes back after -------
        go("streams");
        browser.driver.manage().deleteCookieNamed("JSESSIONID");
        browser.await(UI, "the sign-in page after the session ended", d -> d.getCurrentUrl().contains("/login.html?expired"));
        assertThat(browser.awaitElement(UI, "#login-message").getText()).isEqualTo("Your session ended: sign in again.");
        browser.type("#username", "admin");
        browser.type("#password", "admin-password");
        browser.click("#login-submit");
        browser.awaitElement(UI, ".screen[data-screen='streams']");
        assertThat(browser.driver.getCurrentUrl()).endsWith("/#/streams");

        // ---- sign out ------------------------------------------------------------------------------
        browser.click("[data-action='sign-out']");
        browser.await(UI, "signed out", d -> d.getCurrentUrl().contains("/login.html?logout"));
        assertThat(browser.awaitElement(UI, "#login-message").getText()).isEqualTo("You have signed out.");
        browser.open(base() + "/");
        browser.await(UI, "the dashboard closed after signing out", d -> d.getCurrentUrl().contains("/login.html"));

        later.assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the scenario's duration")
                .isLessThan(Duration.ofSeconds(90));
        later.assertAll();
    }
}
