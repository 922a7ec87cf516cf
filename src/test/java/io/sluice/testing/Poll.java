package io.sluice.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition a test cannot be told about, with a deadline. */
public final class Poll {
    private Poll() {
    }

    /** Checks {@code condition} every 20 ms until it holds (true) or {@code timeout} has passed (false). */
    public static boolean until(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
