package io.sluice.webhook;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** The last N hook calls, a thread-safe ring buffer. */
@Component
class DeliveryLog {
    private final Delivery[] ring;
    private long written;

    @Autowired
    DeliveryLog(WebhookProperties properties) {
        this(properties.deliveryLogSize());
    }

    DeliveryLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        ring = new Delivery[capacity];
    }

    int capacity() {
        return ring.length;
    }

    synchronized void add(Delivery delivery) {
        ring[(int) (written % ring.length)] = delivery;
        written++;
    }

    /** Up to {@code limit} deliveries, newest first. */
    synchronized List<Delivery> recent(int limit) {
        int n = (int) Math.min(Math.min(limit, ring.length), written);
        List<Delivery> result = new ArrayList<>(Math.max(n, 0));
        for (int i = 1; i <= n; i++) {
            result.add(ring[(int) ((written - i) % ring.length)]);
        }
        return result;
    }
}
