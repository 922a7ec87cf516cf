package io.sluice.httpflv;

import io.netty.buffer.ByteBuf;
import io.sluice.engine.flv.FlvSubscriber;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP-FLV response written with Servlet non-blocking output: the engine's event loop queues
 * tags and asks for a drain; the writing itself happens on container threads only (a task started
 * on the request's {@link AsyncContext}, and the container's {@link #onWritePossible}), one at a time,
 * because the container's non-blocking state is not safe against a foreign thread. No thread waits
 * for a viewer.
 */
final class HttpFlvViewer implements FlvSubscriber.Sink, WriteListener {
    private static final Logger log = LoggerFactory.getLogger(HttpFlvViewer.class);

    private static final int BATCH_BYTES = 256 * 1024;

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final long bufferLimit;
    private final Runnable onClose;
    private final ConcurrentLinkedQueue<ByteBuf> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger drainRequests = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean flushWanted;
    /**
     * Set by the container's first {@link #onWritePossible}: until then the request thread may still be
     * inside the servlet, and writing from another thread would race with it.
     */
    private volatile boolean writable;
    private final long createdNanos = System.nanoTime();

    HttpFlvViewer(AsyncContext async, ServletOutputStream out, long bufferLimit, Runnable onClose) {
        this.async = async;
        this.out = out;
        this.bufferLimit = bufferLimit;
        this.onClose = onClose;
    }

    @Override
    public void write(ByteBuf chunk) {
        if (closed.get()) {
            chunk.release();
            return;
        }
        queuedBytes.addAndGet(chunk.readableBytes());
        queue.add(chunk);
        if (closed.get()) {
            releaseQueued(); // lost a race with close()
        }
    }

    @Override
    public boolean writable() {
        return queuedBytes.get() < bufferLimit;
    }

    @Override
    public void flush() {
        flushWanted = true;
        if (writable && !closed.get() && drainScheduled.compareAndSet(false, true)) {
            try {
                async.start(() -> {
                    drainScheduled.set(false);
                    drain();
                });
            } catch (IllegalStateException e) {
                close("response already finished");
            }
        }
    }

    @Override
    public void onWritePossible() {
        writable = true;
        drain();
    }

    /**
     * A safety net against a lost wake-up between the event loop and the container: if tags wait while
     * nothing drains, start a drain. Called periodically.
     */
    void nudge() {
        if (!writable && System.nanoTime() - createdNanos > 500_000_000L) {
            writable = true; // the servlet returned long ago: the first onWritePossible was lost
        }
        if (writable && !closed.get() && !queue.isEmpty() && !draining.get()) {
            flush();
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /**
     * Writes what the socket takes now; whoever finds a drain running asks it to go round again. Runs
     * on container threads only.
     */
    private void drain() {
        drainRequests.incrementAndGet();
        while (!closed.get() && draining.compareAndSet(false, true)) {
            try {
                drainRequests.set(0);
                while (out.isReady() && !queue.isEmpty()) {
                    // One write call per round: after a write the stream may stop being ready, and a
                    // second write then is illegal in non-blocking mode (the container keeps the rest).
                    out.write(takeBatch());
                }
                if (flushWanted && queue.isEmpty() && out.isReady()) {
                    flushWanted = false;
                    out.flush();
                }
            } catch (IOException | RuntimeException e) {
                log.debug("HTTP-FLV viewer gone: {}", e.toString());
                close("write failed");
                return;
            } finally {
                draining.set(false);
            }
            if (drainRequests.get() == 0 || queue.isEmpty() && !flushWanted) {
                return;
            }
        }
    }

    /** Copies queued tags, up to {@value #BATCH_BYTES} bytes (at least one tag), into one array. */
    private byte[] takeBatch() {
        int total = 0;
        java.util.List<ByteBuf> batch = new java.util.ArrayList<>();
        ByteBuf next;
        while ((batch.isEmpty() || total < BATCH_BYTES) && (next = queue.peek()) != null
                && (batch.isEmpty() || total + next.readableBytes() <= BATCH_BYTES)) {
            queue.poll();
            batch.add(next);
            total += next.readableBytes();
        }
        byte[] bytes = new byte[total];
        int offset = 0;
        for (ByteBuf b : batch) {
            int size = b.readableBytes();
            b.getBytes(b.readerIndex(), bytes, offset, size);
            offset += size;
            b.release();
        }
        queuedBytes.addAndGet(-total);
        return bytes;
    }

    @Override
    public void onError(Throwable t) {
        close("connection error: " + t);
    }

    @Override
    public void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.debug("HTTP-FLV viewer closing: {}", reason);
        releaseQueued();
        onClose.run();
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // already completed by the container (client went away)
        }
    }

    private void releaseQueued() {
        ByteBuf b;
        while ((b = queue.poll()) != null) {
            queuedBytes.addAndGet(-b.readableBytes());
            b.release();
        }
    }
}
