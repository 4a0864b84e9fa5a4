package io.tokengate.budget;

/**
 * The answer to a reserve or extend: granted or not; on denial the scope, reason and Retry-After (ms); the
 * tightest (least remaining) request and token rate-limit states across scopes; and the tightest token budget
 * across scopes, the one with the least remaining share of its limit (first on a tie), with its reset being the ms
 * until its period ends (-1 for a total budget, which never resets). Each state is null when no scope has such a
 * limit. States are reported after the call's own consumption (before it when denied).
 */
public record LimitDecision(boolean granted, String deniedScope, DenialReason reason, long retryAfterMillis,
        RateLimitState requests, RateLimitState tokens, RateLimitState budget) {

    /** Granted with nothing limited: what a call without scopes gets. */
    static final LimitDecision UNLIMITED = new LimitDecision(true, null, null, 0, null, null, null);
}
