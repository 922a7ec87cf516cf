package io.sluice.streamkey;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The threads stream key checks run on, so the engine's event loops never wait on the database. Not
 * an {@code Executor} bean on purpose: one would replace Spring Boot's application task executor.
 * A full queue rejects at once (the check then refuses with "busy") rather than piling up.
 */
@Component
class StreamKeyWorkers implements DisposableBean {
    private final ThreadPoolExecutor pool;

    StreamKeyWorkers() {
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(2, 4, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1000), r -> {
            Thread t = new Thread(r, "stream-keys-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    Executor executor() {
        return pool;
    }

    @Override
    public void destroy() throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
    }
}
