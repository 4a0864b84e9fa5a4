package io.tokengate.budget;

/**
 * The answer to a reserve or extend: granted or not; on denial the scope, reason and Retry-After (ms); and the
 * tightest (least remaining) request and token rate-limit states across scopes (null when no scope has one).
 * States are reported after the call's own consumption (before it when denied).
 */
public record LimitDecision(boolean granted, String deniedScope, DenialReason reason, long retryAfterMillis,
        RateLimitState requests, RateLimitState tokens) {

    /** Granted with nothing limited: what a call without scopes gets. */
    static final LimitDecision UNLIMITED = new LimitDecision(true, null, null, 0, null, null);
}
