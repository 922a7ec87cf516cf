package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak check can fail: a buffer dropped without release is reported. */
class LeakRecorderTest {

    @Test
    void anUnreleasedBufferIsReported() throws InterruptedException {
        LeakRecorder.collect(); // start clean
        leakOne();
        List<String> leaks = List.of();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (leaks.isEmpty() && System.nanoTime() < deadline) {
            leaks = LeakRecorder.collect();
        }
        assertThat(leaks).isNotEmpty();
        assertThat(leaks.get(0)).contains("ByteBuf leaked").contains("leakOne");
    }

    private static void leakOne() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeLong(42); // recorded access, so the report shows where it was touched
    }
}
