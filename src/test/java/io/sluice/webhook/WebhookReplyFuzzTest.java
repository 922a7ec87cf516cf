package io.sluice.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLSession;

/**
 * A callback's answer, as the webhook sender reads it: the body through {@link BoundedBody} in
 * fuzzer-chosen pieces, then {@link WebhookSender#interpret} with a fuzzer-chosen hook, format, status,
 * Content-Type and Location. What must hold: the body is the input cut at the limit and marked
 * truncated exactly when longer (and then the subscription is cancelled); interpreting never throws;
 * a reply or rename it accepts carries a valid stream name.
 *
 * <p>Lives beside the webhook code, whose reading is package-private; its seeds follow Jazzer's layout
 * under {@code src/test/resources/io/sluice/webhook/} (see {@code src/test/resources/io/sluice/fuzz/README.md}).
 */
class WebhookReplyFuzzTest {

    /** Small, so the fuzzer crosses it; the sender's own is {@link WebhookSender#MAX_REPLY_BYTES}. */
    private static final int LIMIT = 512;

    @FuzzTest(maxDuration = "15s")
    void callbackReply(FuzzedDataProvider data) throws Exception {
        Hook hook = data.pickValue(Hook.values());
        WebhookProperties.Format format = data.pickValue(WebhookProperties.Format.values());
        int status = data.consumeInt(100, 599);
        String contentType = data.pickValue(new String[] {"", "application/json", "application/json; charset=utf-8",
                "text/plain", "application/problem+json"});
        String location = data.consumeBoolean() ? null : data.consumeString(100);
        int[] pieces = new int[data.consumeInt(0, 5)];
        for (int i = 0; i < pieces.length; i++) {
            pieces[i] = data.consumeInt(0, 300);
        }
        byte[] body = data.consumeRemainingAsBytes();

        BoundedBody.Reply reply = read(body, pieces);
        int kept = Math.min(body.length, LIMIT);
        assertThat(reply.bytes()).isEqualTo(Arrays.copyOf(body, kept));
        assertThat(reply.truncated()).isEqualTo(body.length > LIMIT);

        if (!reply.truncated()) {
            try {
                WebhookReply parsed = WebhookBodies.parseReply(reply.bytes());
                assertThat(parsed).isNotNull();
            } catch (WebhookBodies.InvalidReplyException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }

        WebhookProperties.HookSettings settings = new WebhookProperties.HookSettings("http://127.0.0.1:1/hook", format,
                null, null, null, 0, null);
        WebhookSender.Attempt attempt = WebhookSender.interpret(hook, settings,
                new Response(status, contentType, location, reply));
        assertThat(attempt.outcome()).isNotNull();
        assertThat(attempt.status()).isEqualTo(status);
        if (attempt.rename() != null) {
            assertThat(StreamNameRule.valid(attempt.rename())).as("rename to " + attempt.rename()).isTrue();
        }
        if (attempt.reply() != null && attempt.reply().streamName() != null && hook != Hook.ON_CONNECT) {
            assertThat(StreamNameRule.valid(attempt.reply().streamName())).isTrue();
        }
    }

    /** Feeds {@code body} to a {@link BoundedBody} in pieces of the given sizes, then the rest. */
    private static BoundedBody.Reply read(byte[] body, int[] sizes) throws Exception {
        BoundedBody subscriber = new BoundedBody(LIMIT);
        boolean[] cancelled = {false};
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
                cancelled[0] = true;
            }
        });
        int offset = 0;
        List<Integer> cuts = new ArrayList<>();
        for (int size : sizes) {
            cuts.add(Math.min(size, body.length - offset));
            offset += cuts.get(cuts.size() - 1);
        }
        cuts.add(body.length - offset);
        offset = 0;
        for (int cut : cuts) {
            if (cancelled[0]) {
                break;
            }
            // two buffers per delivery, as the JDK's client hands them over in lists
            int half = cut / 2;
            subscriber.onNext(List.of(ByteBuffer.wrap(body, offset, half), ByteBuffer.wrap(body, offset + half, cut - half)));
            offset += cut;
        }
        if (!cancelled[0]) {
            subscriber.onComplete();
        }
        BoundedBody.Reply reply = subscriber.getBody().toCompletableFuture().getNow(null);
        assertThat(reply).as("body complete").isNotNull();
        assertThat(cancelled[0]).as("cancelled once past the limit").isEqualTo(reply.truncated());
        return reply;
    }

    /** Just what {@link WebhookSender#interpret} reads of a response. */
    private record Response(int statusCode, String contentType, String location, BoundedBody.Reply body)
            implements HttpResponse<BoundedBody.Reply> {

        @Override
        public HttpHeaders headers() {
            Map<String, List<String>> map = new HashMap<>();
            if (!contentType.isEmpty()) {
                map.put("Content-Type", List.of(contentType));
            }
            if (location != null) {
                map.put("Location", List.of(location));
            }
            return HttpHeaders.of(map, (k, v) -> true);
        }

        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/hook")).build();
        }

        @Override
        public Optional<HttpResponse<BoundedBody.Reply>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request().uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
