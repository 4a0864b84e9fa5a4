package io.tokengate.budget;

/**
 * Limit, remaining and time to full reset (ms) of one limit: a rate limit (for {@code x-ratelimit-*} headers) or
 * a token budget (reset: until its period ends, -1 never).
 */
public record RateLimitState(long limit, long remaining, long resetMillis) {

    /** The share of the limit left, 0..1; 0 for a limit of 0 (nothing can ever be taken). */
    public double remainingRatio() {
        return limit <= 0 ? 0 : Math.clamp((double) remaining / limit, 0.0, 1.0);
    }
}
