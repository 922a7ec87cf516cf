package io.sluice.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeliveryLogTest {

    private static Delivery delivery(int n) {
        return new Delivery("id-" + n, "publish", "on_publish", "http://x/", 200, n, null, 1, Instant.now(), "ok");
    }

    @Test
    void keepsTheLastNNewestFirst() {
        DeliveryLog log = new DeliveryLog(3);
        assertThat(log.recent(10)).isEmpty();
        for (int i = 1; i <= 5; i++) {
            log.add(delivery(i));
        }
        assertThat(log.recent(10)).extracting(Delivery::eventId).containsExactly("id-5", "id-4", "id-3");
        assertThat(log.recent(2)).extracting(Delivery::eventId).containsExactly("id-5", "id-4");
        assertThat(log.recent(0)).isEmpty();
    }

    @Test
    void concurrentWritersLoseNothingWithinCapacity() throws Exception {
        DeliveryLog log = new DeliveryLog(4000);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int base = w * 1000;
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 1000; i++) {
                        log.add(delivery(base + i));
                        if (i % 100 == 0) {
                            log.recent(50);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : writers) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(log.recent(5000)).hasSize(4000).doesNotContainNull()
                .extracting(Delivery::eventId).doesNotHaveDuplicates();
    }
}
