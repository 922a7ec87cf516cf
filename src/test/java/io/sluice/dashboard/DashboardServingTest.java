package io.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.SluiceSpringTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * How the dashboard is served, without a browser: Maven built it into the static resources; a stranger
 * gets the sign-in page (and its assets and the CSRF cookie it needs), not the dashboard; the form
 * sign-in with the cookie's token opens the dashboard and the API; an XHR without a session gets a
 * problem, not a browser's password prompt.
 */
@SluiceSpringTest
class DashboardServingTest {
    @LocalServerPort
    int port;

    private final CookieManager cookies = new CookieManager();
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** A GET as a browser navigates (Accept: text/html), plus the given headers. */
    private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    @Test
    void theBuildPutTheDashboardIntoTheStaticResources() throws IOException {
        try (InputStream index = getClass().getResourceAsStream("/static/index.html");
             InputStream login = getClass().getResourceAsStream("/static/login.html")) {
            assertThat(index).as("static/index.html (npm run build through exec-maven-plugin)").isNotNull();
            assertThat(login).as("static/login.html").isNotNull();
            String html = new String(index.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(html).containsPattern("src=\"/assets/[^\"]+\\.js\"").doesNotContain("/src/main.ts");
        }
    }

    @Test
    void aStrangerGetsTheSignInPageItsAssetsAndACsrfCookie() throws Exception {
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location").orElse("")).endsWith("/login.html");

        HttpResponse<String> login = get("/login.html");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("Sign in");
        assertThat(cookie("XSRF-TOKEN")).as("the XSRF-TOKEN cookie the sign-in form sends back").isNotBlank();
        Matcher asset = Pattern.compile("/assets/[^\"]+\\.(js|css)").matcher(login.body());
        assertThat(asset.find()).isTrue();
        assertThat(get(asset.group()).statusCode()).isEqualTo(200);

        HttpResponse<String> xhr = http.send(HttpRequest.newBuilder(URI.create(url("/api/streams")))
                .header("Accept", "application/json").header("X-Requested-With", "XMLHttpRequest").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(xhr.statusCode()).isEqualTo(401);
        assertThat(xhr.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(xhr.headers().allValues("WWW-Authenticate"))
                .as("no Basic challenge for the dashboard's XHR: browsers would pop up a password prompt")
                .noneMatch(v -> v.contains("Basic"));
    }

    @Test
    void theFormSignInOpensTheDashboardAndTheApi() throws Exception {
        get("/login.html");
        String token = cookie("XSRF-TOKEN");
        HttpRequest signIn = HttpRequest.newBuilder(URI.create(url("/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-XSRF-TOKEN", token)
                .POST(HttpRequest.BodyPublishers.ofString("username=admin&password="
                        + URLEncoder.encode("admin-password", StandardCharsets.UTF_8)))
                .build();
        HttpResponse<String> signedIn = http.send(signIn, HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location").orElse("")).doesNotContain("error");

        HttpResponse<String> dashboard = get("/");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("<div id=\"app\">");
        assertThat(get("/api/streams", "X-Requested-With", "XMLHttpRequest").statusCode()).isEqualTo(200);

        // a write needs the token from the (renewed) cookie
        String renewed = cookie("XSRF-TOKEN");
        assertThat(renewed).isNotBlank();
        HttpRequest withoutToken = HttpRequest.newBuilder(URI.create(url("/api/keys")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"label\":\"x\"}")).build();
        assertThat(http.send(withoutToken, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        HttpRequest withToken = HttpRequest.newBuilder(URI.create(url("/api/keys")))
                .header("Content-Type", "application/json").header("X-XSRF-TOKEN", renewed)
                .POST(HttpRequest.BodyPublishers.ofString("{\"label\":\"Serving test\"}")).build();
        assertThat(http.send(withToken, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);

        HttpRequest signOut = HttpRequest.newBuilder(URI.create(url("/logout"))).header("X-XSRF-TOKEN", renewed)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> out = http.send(signOut, HttpResponse.BodyHandlers.ofString());
        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(out.headers().firstValue("Location").orElse("")).endsWith("/login.html?logout");
        assertThat(get("/").statusCode()).isEqualTo(302);
    }

    @Test
    void aWrongPasswordGoesBackToTheSignInPage() throws Exception {
        get("/login.html");
        HttpRequest signIn = HttpRequest.newBuilder(URI.create(url("/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-XSRF-TOKEN", cookie("XSRF-TOKEN"))
                .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=nope")).build();
        HttpResponse<String> failed = http.send(signIn, HttpResponse.BodyHandlers.ofString());
        assertThat(failed.statusCode()).isEqualTo(302);
        assertThat(failed.headers().firstValue("Location").orElse("")).endsWith("/login.html?error");
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() throws Exception {
        HttpResponse<String> page = get("/login.html");
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(url("/api/streams")))
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(401);

        for (HttpResponse<String> r : java.util.List.of(page, api)) {
            String which = r.uri().getPath();
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(which).hasValue("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(which).hasValue("DENY");
            assertThat(r.headers().firstValue("Referrer-Policy")).as(which).hasValue("no-referrer");
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(which).get().asString()
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe-eval");
            assertThat(r.headers().firstValue("Strict-Transport-Security")).as("%s: HSTS only over HTTPS", which)
                    .isEmpty();
        }
        String dashboardPolicy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(dashboardPolicy).as("the Vite build and mpegts.js (MediaSource from a blob: worker)")
                .contains("default-src 'self'").contains("media-src 'self' blob:").contains("worker-src 'self' blob:")
                .contains("object-src 'none'").doesNotContain("script-src");
        assertThat(api.headers().firstValue("Content-Security-Policy")).hasValue(
                "default-src 'none'; frame-ancestors 'none'");
    }

    @Test
    void aSignInWithoutTheCsrfTokenIsRefused() throws Exception {
        get("/login.html");
        HttpRequest signIn = HttpRequest.newBuilder(URI.create(url("/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=admin&password="
                        + URLEncoder.encode("admin-password", StandardCharsets.UTF_8)))
                .build();
        HttpResponse<String> refused = http.send(signIn, HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(get("/").statusCode()).as("not signed in").isEqualTo(302);

        HttpRequest forged = HttpRequest.newBuilder(URI.create(url("/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-XSRF-TOKEN", "forged-token")
                .POST(HttpRequest.BodyPublishers.ofString("username=admin&password="
                        + URLEncoder.encode("admin-password", StandardCharsets.UTF_8)))
                .build();
        assertThat(http.send(forged, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    }
}
