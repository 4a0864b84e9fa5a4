package io.tokengate.budget;

/** Limit, remaining and time to full reset (ms) of one rate limit, for {@code x-ratelimit-*} headers. */
public record RateLimitState(long limit, long remaining, long resetMillis) {}
