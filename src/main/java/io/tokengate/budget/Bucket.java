package io.tokengate.budget;

/**
 * A token bucket, equivalent to GCRA: capacity = the per-minute limit, refilled continuously at limit per
 * minute, so a burst can take the whole capacity once and then only what has refilled (no fixed windows, no 2x
 * at a boundary). Mutable, guarded by its owner. The same arithmetic runs in {@code limits.lua}.
 */
final class Bucket {
    static final double MINUTE_MILLIS = 60_000;

    /** Tokens left at {@link #at}; NaN while full (never used, or refilled). */
    private double level = Double.NaN;
    private long at;

    /** Tokens available at {@code now} for a bucket of {@code capacity}. */
    double level(long capacity, long now) {
        if (Double.isNaN(level)) {
            return capacity;
        }
        return Math.min(capacity, level + Math.max(0, now - at) * capacity / MINUTE_MILLIS);
    }

    void set(double newLevel, long capacity, long now) {
        level = newLevel >= capacity ? Double.NaN : Math.max(0, newLevel);
        at = now;
    }

    /** Milliseconds until {@code cost} tokens are available: 0 when they are, a full refill when they never fit. */
    static long waitFor(long capacity, double level, long cost) {
        if (cost > capacity) {
            return (long) MINUTE_MILLIS;
        }
        return level >= cost ? 0 : (long) Math.ceil((cost - level) * MINUTE_MILLIS / capacity);
    }

    /** Limit, whole tokens remaining and milliseconds until full, at {@code level}. */
    static RateLimitState state(long capacity, double level) {
        long reset = capacity <= 0 ? 0 : (long) Math.ceil((capacity - level) * MINUTE_MILLIS / capacity);
        return new RateLimitState(capacity, (long) Math.floor(Math.max(0, level)), reset);
    }
}
