package io.sluice.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** The server's REST API and actuator, signed in with HTTP Basic as the administrator. */
final class ServerApi {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String base;
    private final String authorization;

    ServerApi(int httpPort, String user, String password) {
        this.base = "http://127.0.0.1:" + httpPort;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    String base() {
        return base;
    }

    /** The status code of a signed-in GET (the body is read and dropped). */
    int status(String path) throws IOException, InterruptedException {
        return http.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A signed-in GET answered with JSON; fails unless 200. */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request(path), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": " + response.statusCode() + " "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return json.readTree(response.body());
    }

    /** A Micrometer gauge from {@code /actuator/metrics}, optionally narrowed by {@code tag} ("key:value"). */
    double metric(String name, String tag) throws IOException, InterruptedException {
        String path = "/actuator/metrics/" + name
                + (tag == null ? "" : "?tag=" + URLEncoder.encode(tag, StandardCharsets.UTF_8));
        for (JsonNode m : get(path).path("measurements")) {
            if ("VALUE".equals(m.path("statistic").asText())) {
                return m.path("value").asDouble();
            }
        }
        throw new IOException(path + " has no VALUE");
    }

    /** Whether the server answers its public health endpoint with 200. */
    boolean healthy() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Authorization", authorization).GET().build();
    }
}
