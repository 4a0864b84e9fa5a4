package io.tokengate.upstream;

import io.tokengate.config.PoolSpec;

/**
 * Retries at most a fraction of a pool's traffic (as in Finagle and gRPC): each request deposits
 * {@code budgetRatio} of a retry, each retry withdraws one; a small per-second allowance lets low traffic retry
 * too. When a pool is sick, retries stop at the budget instead of multiplying the load on it.
 */
final class RetryBudget {
    private static final long ONE = 1000; // a retry, in thousandths (exact, unlike summing 0.2s)
    private static final long MAX_BALANCE = 100 * ONE;
    private final long deposit;
    private final int minPerSecond;
    private long balance;
    private long second;
    private int floorUsed;

    RetryBudget(PoolSpec.Retry retry) {
        this.deposit = Math.round(retry.budgetRatio() * ONE);
        this.minPerSecond = retry.minRetriesPerSecond();
    }

    synchronized void deposit() {
        balance = Math.min(MAX_BALANCE, balance + deposit);
    }

    synchronized boolean withdraw(long nowNanos) {
        long s = nowNanos / 1_000_000_000L;
        if (s != second) {
            second = s;
            floorUsed = 0;
        }
        if (floorUsed < minPerSecond) {
            floorUsed++;
            return true;
        }
        if (balance >= ONE) {
            balance -= ONE;
            return true;
        }
        return false;
    }
}
