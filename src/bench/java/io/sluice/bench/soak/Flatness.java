package io.sluice.bench.soak;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Whether a resource stayed flat: after the warm-up, the mean of the last third of the samples may
 * exceed the mean of the first third by at most {@code max(relative * first, absolute)}. Means of
 * thirds rather than single points, because the churn makes every figure wander with the number of
 * clients connected at the moment of the sample; a leak makes the last third climb regardless.
 */
final class Flatness {
    /** Fewer samples than this per third cannot tell growth from noise. */
    static final int MIN_SAMPLES_PER_THIRD = 2;

    /** A judged resource and how much growth it is allowed. */
    record Limit(String name, String unit, double relative, double absolute,
                 ToDoubleFunction<Sampler.Sample> value) {
    }

    /** The verdict on one resource. */
    record Verdict(String name, String unit, double first, double last, double allowed, int samples, boolean pass,
                   String why) {
        double growth() {
            return last - first;
        }
    }

    /** The resources a soak judges, with their tolerances (the absolute part absorbs the churn's noise). */
    static final List<Limit> LIMITS = List.of(
            new Limit("heap after GC", "MiB", 0.10, 8, Sampler.Sample::heapAfterGcMib),
            new Limit("JDK direct memory", "MiB", 0.10, 8, Sampler.Sample::jdkDirectMib),
            new Limit("Netty direct memory (arenas)", "MiB", 0.10, 16, Sampler.Sample::nettyDirectMib),
            new Limit("Netty direct memory (in buffers)", "MiB", 0.10, 8, Sampler.Sample::nettyPinnedMib),
            new Limit("threads", "", 0.10, 4, s -> s.threads()),
            new Limit("file descriptors", "", 0.10, 16, s -> s.fds()));

    private Flatness() {
    }

    /** Judges every limit on the samples taken at or after {@code warmupSecond}. */
    static List<Verdict> judge(List<Sampler.Sample> samples, long warmupSecond) {
        List<Sampler.Sample> judged = samples.stream().filter(s -> s.second() >= warmupSecond).toList();
        return LIMITS.stream().map(limit -> judge(limit, judged.stream().mapToDouble(limit.value()).toArray()))
                .toList();
    }

    static Verdict judge(Limit limit, double[] series) {
        int third = series.length / 3;
        if (third < MIN_SAMPLES_PER_THIRD) {
            return new Verdict(limit.name(), limit.unit(), Double.NaN, Double.NaN, Double.NaN, series.length, false,
                    "too few samples after the warm-up (" + series.length + ", need "
                            + 3 * MIN_SAMPLES_PER_THIRD + ")");
        }
        double first = mean(series, 0, third);
        double last = mean(series, series.length - third, series.length);
        double allowed = Math.max(limit.relative() * first, limit.absolute());
        boolean pass = last - first <= allowed;
        return new Verdict(limit.name(), limit.unit(), first, last, allowed, series.length, pass,
                pass ? "" : String.format("grew by %.1f, more than the %.1f allowed", last - first, allowed));
    }

    private static double mean(double[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum / (to - from);
    }
}
