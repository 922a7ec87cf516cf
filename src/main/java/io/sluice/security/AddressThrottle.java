package io.sluice.security;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing from one address (passwords, stream keys): counts an address's failures; past
 * {@link Policy#freeFailures()} its attempts are delayed, past {@link Policy#blockAfter()} it is
 * blocked, twice as long after each further failure (up to {@link Policy#maxBlock()}). A success
 * clears the address; failures older than {@link Policy#forgetAfter()} are forgotten.
 *
 * <p>At most {@link Policy#maxAddresses()} addresses are tracked, so guessing from very many
 * addresses cannot exhaust memory: when the table is full, forgotten and unblocked entries are dropped,
 * and if it is still full, new addresses go untracked until it empties. Thread-safe.
 */
public final class AddressThrottle {

    /**
     * @param freeFailures failures allowed at full speed
     * @param delay        how long each attempt waits once past the free failures (zero: no slowing)
     * @param blockAfter   failures after which the address is blocked (at least {@code freeFailures})
     * @param firstBlock   the first block; each further failure doubles it
     * @param maxBlock     the longest block
     * @param forgetAfter  a failure this long after the previous one (and after any block) starts over
     * @param maxAddresses the most addresses tracked at once
     */
    public record Policy(int freeFailures, Duration delay, int blockAfter, Duration firstBlock, Duration maxBlock,
                         Duration forgetAfter, int maxAddresses) {
        public Policy {
            if (freeFailures < 0 || blockAfter < freeFailures || delay.isNegative() || firstBlock.isNegative()
                    || maxBlock.compareTo(firstBlock) < 0 || forgetAfter.isNegative() || maxAddresses < 1) {
                throw new IllegalArgumentException("inconsistent throttle policy: " + this);
            }
        }
    }

    /**
     * What an address's next attempt gets: blocked for a while (refuse it without looking further),
     * delayed (answer it only after the delay), or neither.
     */
    public record Verdict(Duration blockedFor, Duration delay, int failures) {
        static final Verdict FREE = new Verdict(Duration.ZERO, Duration.ZERO, 0);

        public boolean blocked() {
            return !blockedFor.isZero();
        }

        public boolean delayed() {
            return !delay.isZero();
        }
    }

    private record Failures(int count, long lastMillis, long blockedUntilMillis) {
    }

    private final Policy policy;
    private final Clock clock;
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    public AddressThrottle(Policy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** What an attempt from {@code address} gets now. */
    public Verdict check(String address) {
        Failures f = failures.get(address);
        if (f == null) {
            return Verdict.FREE;
        }
        long now = clock.millis();
        if (now < f.blockedUntilMillis()) {
            return new Verdict(Duration.ofMillis(f.blockedUntilMillis() - now), Duration.ZERO, f.count());
        }
        if (forgotten(f, now)) {
            failures.remove(address, f);
            return Verdict.FREE;
        }
        return new Verdict(Duration.ZERO, f.count() > policy.freeFailures() ? policy.delay() : Duration.ZERO,
                f.count());
    }

    /** Counts a failure; returns what the address's next attempt gets (blocked once this failure blocked it). */
    public Verdict failed(String address) {
        if (failures.size() >= policy.maxAddresses() && !failures.containsKey(address)) {
            makeRoom();
            if (failures.size() >= policy.maxAddresses()) {
                return Verdict.FREE;
            }
        }
        long now = clock.millis();
        failures.compute(address, (k, f) -> {
            int count = f == null || forgotten(f, now) ? 1 : f.count() + 1;
            long block = count <= policy.blockAfter() ? 0 : Math.min(policy.maxBlock().toMillis(),
                    policy.firstBlock().toMillis() << Math.min(20, count - policy.blockAfter() - 1));
            return new Failures(count, now, block == 0 ? 0 : now + block);
        });
        return check(address);
    }

    /** A success: the address starts afresh. */
    public void succeeded(String address) {
        failures.remove(address);
    }

    private boolean forgotten(Failures f, long now) {
        return now >= f.blockedUntilMillis() && now - f.lastMillis() > policy.forgetAfter().toMillis();
    }

    private void makeRoom() {
        long now = clock.millis();
        failures.values().removeIf(f -> forgotten(f, now));
        if (failures.size() >= policy.maxAddresses()) {
            failures.values().removeIf(f -> now >= f.blockedUntilMillis());
        }
    }
}
