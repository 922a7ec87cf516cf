package io.sluice.webhook;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** Reads at most {@code limit} bytes of a reply; past that it stops reading and marks the reply truncated. */
final class BoundedBody implements HttpResponse.BodySubscriber<BoundedBody.Reply> {

    /** A reply body, possibly cut at the limit. */
    record Reply(byte[] bytes, boolean truncated) {
        boolean blank() {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                    return false;
                }
            }
            return true;
        }
    }

    private final int limit;
    private final CompletableFuture<Reply> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Flow.Subscription subscription;
    private boolean done;

    BoundedBody(int limit) {
        this.limit = limit;
    }

    static HttpResponse.BodyHandler<Reply> handler(int limit) {
        return info -> new BoundedBody(limit);
    }

    @Override
    public CompletionStage<Reply> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (done) {
            return;
        }
        for (ByteBuffer buffer : items) {
            int room = limit - out.size();
            int n = Math.min(room, buffer.remaining());
            byte[] chunk = new byte[n];
            buffer.get(chunk);
            out.write(chunk, 0, n);
            if (buffer.hasRemaining()) {
                done = true;
                subscription.cancel();
                result.complete(new Reply(out.toByteArray(), true));
                return;
            }
        }
    }

    @Override
    public void onError(Throwable throwable) {
        if (!done) {
            done = true;
            result.completeExceptionally(throwable);
        }
    }

    @Override
    public void onComplete() {
        if (!done) {
            done = true;
            result.complete(new Reply(out.toByteArray(), false));
        }
    }
}
