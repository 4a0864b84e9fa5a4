package io.tokengate.budget;

import java.util.List;

/**
 * One reserve or extend being decided: the denial with the longest Retry-After (the call cannot succeed before
 * every denial has cleared; ties keep the first found) and each scope's rate-limit and budget states, from which
 * the decision reports the tightest. Both stores build their {@link LimitDecision} through it.
 */
final class Verdict {
    /** Retry-After hint when every concurrency slot is taken (or the reservation is no longer live). */
    static final long CONCURRENCY_RETRY_MILLIS = 1000;

    private final RateLimitState[] requests;
    private final RateLimitState[] tokens;
    private final RateLimitState[] budgets;
    private int deniedScope = -1;
    private DenialReason reason;
    private long retryAfterMillis;

    Verdict(int scopes) {
        this.requests = new RateLimitState[scopes];
        this.tokens = new RateLimitState[scopes];
        this.budgets = new RateLimitState[scopes];
    }

    void deny(int scope, DenialReason why, long retryAfter) {
        if (deniedScope < 0 || retryAfter > retryAfterMillis) {
            deniedScope = scope;
            reason = why;
            retryAfterMillis = retryAfter;
        }
    }

    boolean denied() {
        return deniedScope >= 0;
    }

    void requests(int scope, RateLimitState state) {
        requests[scope] = state;
    }

    void tokens(int scope, RateLimitState state) {
        tokens[scope] = state;
    }

    void budget(int scope, RateLimitState state) {
        budgets[scope] = state;
    }

    LimitDecision decision(List<LimitScope> scopes) {
        boolean granted = !denied();
        return new LimitDecision(granted, granted ? null : scopes.get(deniedScope).name(), reason,
                granted ? 0 : retryAfterMillis, tightest(requests), tightest(tokens),
                leastShare(budgets));
    }

    /** The state with the least remaining (the first on a tie); null when no scope has one. */
    static RateLimitState tightest(RateLimitState[] states) {
        RateLimitState tightest = null;
        for (RateLimitState state : states) {
            if (state != null && (tightest == null || state.remaining() < tightest.remaining())) {
                tightest = state;
            }
        }
        return tightest;
    }

    /** The state with the least remaining share of its limit (the first on a tie); null when no scope has one. */
    static RateLimitState leastShare(RateLimitState[] states) {
        RateLimitState tightest = null;
        for (RateLimitState state : states) {
            if (state != null && (tightest == null || state.remainingRatio() < tightest.remainingRatio())) {
                tightest = state;
            }
        }
        return tightest;
    }
}
