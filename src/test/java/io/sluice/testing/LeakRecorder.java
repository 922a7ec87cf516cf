package io.sluice.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Makes Netty's leak detector report into a list that tests can assert on, instead of only logging.
 * Installed before any buffer class loads (see {@link LeakDetectionSessionListener}); the check runs
 * after every test class ({@link LeakCheckExtension}).
 */
public final class LeakRecorder {
    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();
    private static volatile boolean installed;

    private LeakRecorder() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                      long maxActive) {
                return new RecordingDetector<>(resource, samplingInterval);
            }
        });
        installed = true;
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add(resourceType + " leaked:" + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add(resourceType + " leaked (no records)");
            super.reportUntracedLeak(resourceType);
        }
    }

    /**
     * Collects garbage and lets the detector look at what was collected unreleased; returns and forgets
     * the leaks found so far.
     */
    public static List<String> collect() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(20); // lets the reference handler enqueue what GC found
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // the detector polls its reference queue whenever it starts tracking a new buffer
            for (int i = 0; i < 4; i++) {
                ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(8);
                pooled.release();
                ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.heapBuffer(8);
                unpooled.release();
            }
        }
        List<String> found = new ArrayList<>();
        String leak;
        while ((leak = LEAKS.poll()) != null) {
            found.add(leak);
        }
        return found;
    }
}
