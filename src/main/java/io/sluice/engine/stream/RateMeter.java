package io.sluice.engine.stream;

/**
 * Bytes and frames per second over the last few seconds, in one-second buckets. Written by one
 * thread (the stream's executor); read anywhere.
 */
final class RateMeter {
    private static final int BUCKETS = 5;
    private final long[] bytes = new long[BUCKETS];
    private final int[] frames = new int[BUCKETS];
    private final long[] second = new long[BUCKETS];
    /** The first second is partial: it is not counted. */
    private long firstSecond = -1;
    private volatile long bitsPerSecond;
    private volatile double framesPerSecond;

    void record(long nowMillis, int size, boolean frame) {
        long s = nowMillis / 1000;
        if (firstSecond < 0) {
            firstSecond = s;
        }
        int i = (int) (s % BUCKETS);
        if (second[i] != s) {
            publish(s);
            second[i] = s;
            bytes[i] = 0;
            frames[i] = 0;
        }
        bytes[i] += size;
        if (frame) {
            frames[i]++;
        }
    }

    /** Recomputes the rates from the complete seconds before {@code current}. */
    private void publish(long current) {
        long totalBytes = 0;
        int totalFrames = 0;
        int seconds = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (second[i] < current && second[i] >= current - (BUCKETS - 1) && second[i] > firstSecond) {
                totalBytes += bytes[i];
                totalFrames += frames[i];
                seconds++;
            }
        }
        bitsPerSecond = seconds == 0 ? 0 : totalBytes * 8 / seconds;
        framesPerSecond = seconds == 0 ? 0 : (double) totalFrames / seconds;
    }

    long bitsPerSecond() {
        return bitsPerSecond;
    }

    double framesPerSecond() {
        return framesPerSecond;
    }

    void reset() {
        java.util.Arrays.fill(second, 0);
        firstSecond = -1;
        bitsPerSecond = 0;
        framesPerSecond = 0;
    }
}
