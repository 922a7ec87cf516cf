/**
 * Benchmarks and load tooling, compiled with the tests so they never rot: the load generator and soak
 * ({@code load}), the JMH micro-benchmarks ({@code jmh}). The scripts in {@code bench/} run them;
 * {@code docs/PERFORMANCE.md} and {@code docs/RELIABILITY.md} hold the figures.
 */
package io.sluice.bench;
