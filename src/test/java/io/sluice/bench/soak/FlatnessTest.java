package io.sluice.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The soak's verdict must be able to fail: growth fails it, noise around a flat line does not. */
class FlatnessTest {

    private static final Flatness.Limit HEAP = Flatness.LIMITS.get(0);

    @Test
    void aSteadilyGrowingSeriesFails() {
        // 100 MiB growing 1 MiB a sample: +20 % over the run, a leak
        double[] growing = new double[30];
        for (int i = 0; i < growing.length; i++) {
            growing[i] = 100 + i;
        }
        Flatness.Verdict verdict = Flatness.judge(HEAP, growing);
        assertThat(verdict.pass()).isFalse();
        assertThat(verdict.growth()).isEqualTo(20.0);
        assertThat(verdict.why()).contains("grew by 20.0");
    }

    @Test
    void aFlatSeriesWithChurnNoisePasses() {
        double[] noisy = new double[30];
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] = 100 + (i % 2 == 0 ? 6 : -6); // the clients connected at each sample differ
        }
        Flatness.Verdict verdict = Flatness.judge(HEAP, noisy);
        assertThat(verdict.pass()).isTrue();
        assertThat(verdict.first()).isEqualTo(verdict.last());
    }

    @Test
    void growthWithinTheAbsoluteAllowancePassesAndBeyondItFails() {
        // a small heap: 10 % of 20 MiB is 2, so the 8 MiB floor decides
        assertThat(Flatness.judge(HEAP, ramp(20, 7.5, 9)).pass()).isTrue();
        assertThat(Flatness.judge(HEAP, ramp(20, 8.5, 9)).pass()).isFalse();
    }

    @Test
    void tooFewSamplesFailRatherThanPassUnjudged() {
        Flatness.Verdict verdict = Flatness.judge(HEAP, new double[]{50, 50, 50, 50, 50});
        assertThat(verdict.pass()).isFalse();
        assertThat(verdict.why()).contains("too few samples");
    }

    @Test
    void warmUpSamplesAreNotJudgedButEveryResourceIs() {
        List<Sampler.Sample> samples = new ArrayList<>();
        for (int second = 0; second < 300; second += 10) {
            // a big warm-up jump in the first minute, then flat; file descriptors leak throughout
            double heap = second < 60 ? 20 : 200;
            samples.add(new Sampler.Sample(second, heap, 16, 16, 1, 60, 50 + second, 30, 5, 0));
        }
        List<Flatness.Verdict> verdicts = Flatness.judge(samples, 60);
        assertThat(verdicts).extracting(Flatness.Verdict::name).containsExactly("heap after GC",
                "JDK direct memory", "Netty direct memory (arenas)", "Netty direct memory (in buffers)", "threads",
                "file descriptors");
        assertThat(verdicts).filteredOn(v -> !v.pass()).extracting(Flatness.Verdict::name)
                .containsExactly("file descriptors");
    }

    @Test
    void heapFigureIsReadFromGcHeapInfo() throws Exception {
        String g1 = """
                12345:
                 garbage-first heap   total 262144K, used 51200K [0x00000000c0000000, 0x0000000100000000)
                  region size 1024K, 3 young (3072K), 0 survivors (0K)
                 Metaspace       used 80000K, committed 81000K, reserved 1114112K
                """;
        assertThat(Sampler.heapUsedMib(g1)).isEqualTo(50.0);
    }

    private static double[] ramp(double start, double totalGrowth, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = i < n / 3 ? start : i >= n - n / 3 ? start + totalGrowth : start + totalGrowth / 2;
        }
        return values;
    }
}
