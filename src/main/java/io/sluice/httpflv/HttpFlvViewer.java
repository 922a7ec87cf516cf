package io.sluice.httpflv;

import io.netty.buffer.ByteBuf;
import io.sluice.engine.flv.FlvSubscriber;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>Once the container ends the response ({@link #containerDone}: the client went away, an error),
 * it recycles the request, its {@link AsyncContext} and output stream for the next request on the
 * connection. Every use of them therefore happens under {@link #guard} after checking
 * {@link #closed}, and the container sets {@code closed} under the same lock: a late drain or
 * wake-up from the event loop can never write into, or complete, another viewer's response.
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
    private final ReentrantLock guard = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean flushWanted;
    /**
     * Set by the container's first {@link #onWritePossible}: until then the request thread may still be
     * inside the servlet, and writing from another thread would race with it.
     */
    private volatile boolean writable;
    private final long createdNanos = System.nanoTime();
    /** When the container last took bytes, for the stall report in {@link #nudge()}. */
    private volatile long lastWriteNanos = createdNanos;
    private volatile boolean stallReported;

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
        if (!writable || closed.get() || !drainScheduled.compareAndSet(false, true)) {
            return;
        }
        boolean finished = false;
        guard.lock();
        try {
            if (closed.get()) {
                return;
            }
            async.start(() -> {
                drainScheduled.set(false);
                drain();
            });
        } catch (IllegalStateException e) {
            drainScheduled.set(false);
            finished = true;
        } finally {
            guard.unlock();
        }
        if (finished) {
            close("response already finished");
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
        if (!queue.isEmpty() && System.nanoTime() - lastWriteNanos > 2_000_000_000L && !stallReported) {
            stallReported = true;
            log.debug("HTTP-FLV viewer stalled for 2 s: {} bytes queued, writable {}, draining {}, drain scheduled {}, "
                    + "drain requests {}, closed {}", queuedBytes.get(), writable, draining.get(), drainScheduled.get(),
                    drainRequests.get(), closed.get());
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
            Exception failure = null;
            if (!lockBriefly()) {
                draining.set(false);
                return; // the periodic nudge starts the next drain
            }
            try {
                if (closed.get()) {
                    return;
                }
                drainRequests.set(0);
                while (out.isReady() && !queue.isEmpty()) {
                    // One write call per round: after a write the stream may stop being ready, and a
                    // second write then is illegal in non-blocking mode (the container keeps the rest).
                    out.write(takeBatch());
                    lastWriteNanos = System.nanoTime();
                    stallReported = false;
                }
                if (flushWanted && queue.isEmpty() && out.isReady()) {
                    flushWanted = false;
                    out.flush();
                }
            } catch (IOException | RuntimeException e) {
                failure = e;
            } finally {
                guard.unlock();
                draining.set(false);
            }
            if (failure != null) {
                log.debug("HTTP-FLV viewer gone: {}", failure.toString());
                close("write failed");
                return;
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
        containerDone("connection error: " + t);
    }

    /** We end the response (stream over, viewer too slow, write failed). */
    @Override
    public void close(String reason) {
        guard.lock();
        try {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // the container finished it meanwhile
            }
        } finally {
            guard.unlock();
        }
        log.debug("HTTP-FLV viewer closing: {}", reason);
        released();
    }

    /**
     * The container ended the response (complete, error, timeout): from now on its objects belong to
     * the next request. Waits for a drain or wake-up in progress, but never long: a container thread
     * must not hang on a viewer.
     */
    void containerDone(String reason) {
        boolean locked = lockBriefly();
        try {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
        } finally {
            if (locked) {
                guard.unlock();
            }
        }
        log.debug("HTTP-FLV viewer ended by the container: {}", reason);
        released();
    }

    /**
     * Container threads never wait long for the lock: one of them may hold a lock of the container's
     * that the holder of ours needs.
     */
    private boolean lockBriefly() {
        try {
            return guard.tryLock(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void released() {
        releaseQueued();
        onClose.run();
    }

    private void releaseQueued() {
        ByteBuf b;
        while ((b = queue.poll()) != null) {
            queuedBytes.addAndGet(-b.readableBytes());
            b.release();
        }
    }
}
