package io.sluice.bench.load;

/**
 * Microsecond values in buckets: 10 µs wide below 100 ms, 1 ms wide up to 100 s (values above count
 * as 100 s). Enough to tell 5 ms from 6 ms and 1.0 s from 1.1 s; not thread-safe (one per thread).
 */
final class Histogram {
    private static final int FINE_WIDTH = 10;
    private static final int FINE_BUCKETS = 10_000; // up to 100 ms
    private static final int COARSE_WIDTH = 1_000;
    private static final int COARSE_BUCKETS = 100_000; // up to 100 s

    private final long[] fine = new long[FINE_BUCKETS];
    private final long[] coarse = new long[COARSE_BUCKETS];
    private long count;
    private long max;

    void record(long micros) {
        long v = Math.max(0, micros);
        if (v < (long) FINE_WIDTH * FINE_BUCKETS) {
            fine[(int) (v / FINE_WIDTH)]++;
        } else {
            coarse[(int) Math.min(COARSE_BUCKETS - 1, v / COARSE_WIDTH)]++;
        }
        count++;
        max = Math.max(max, v);
    }

    void add(Histogram other) {
        for (int i = 0; i < FINE_BUCKETS; i++) {
            fine[i] += other.fine[i];
        }
        for (int i = 0; i < COARSE_BUCKETS; i++) {
            coarse[i] += other.coarse[i];
        }
        count += other.count;
        max = Math.max(max, other.max);
    }

    void clear() {
        java.util.Arrays.fill(fine, 0);
        java.util.Arrays.fill(coarse, 0);
        count = 0;
        max = 0;
    }

    long count() {
        return count;
    }

    long max() {
        return max;
    }

    /** The value at quantile {@code q} (0..1), upper bucket edge; 0 when empty. */
    long quantile(double q) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int i = 0; i < FINE_BUCKETS; i++) {
            seen += fine[i];
            if (seen >= rank) {
                return Math.min(max, (long) (i + 1) * FINE_WIDTH);
            }
        }
        for (int i = 0; i < COARSE_BUCKETS; i++) {
            seen += coarse[i];
            if (seen >= rank) {
                return Math.min(max, (long) (i + 1) * COARSE_WIDTH);
            }
        }
        return max;
    }
}
