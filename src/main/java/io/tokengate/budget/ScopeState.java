package io.tokengate.budget;

import io.tokengate.tenant.Limits;
import java.util.HashMap;
import java.util.Map;

/**
 * The limit state of one scope in memory: the request and token buckets, the concurrency leases (reservation id
 * to expiry) and the budget counter of the period last charged. Limits come with every call, so changed limits
 * apply at once. Guarded by the store.
 */
final class ScopeState {
    private final Bucket requests = new Bucket();
    private final Bucket tokens = new Bucket();
    private final Map<String, Long> leases = new HashMap<>();
    private String period = "";
    private long used;
    private long periodEnd;
    private long touched;

    /** Records the scope's current rate-limit and budget states in {@code verdict}, consuming nothing. */
    void observe(Verdict verdict, int scope, Limits limits, long now) {
        touched = now;
        if (limits.requestsPerMinute() != null) {
            long capacity = capacity(limits.requestsPerMinute());
            verdict.requests(scope, Bucket.state(capacity, requests.level(capacity, now)));
        }
        if (limits.tokensPerMinute() != null) {
            long capacity = capacity(limits.tokensPerMinute());
            verdict.tokens(scope, Bucket.state(capacity, tokens.level(capacity, now)));
        }
        if (limits.tokenBudget() != null) {
            BudgetPeriod current = BudgetPeriod.of(limits.tokenBudget().period(), now);
            verdict.budget(scope, budgetState(limits, current, usedIn(current.id()), now));
        }
    }

    /** Observes, then records in {@code verdict} every limit that taking these costs (and a slot) would break. */
    void check(Verdict verdict, int scope, Limits limits, long now, Cost cost) {
        observe(verdict, scope, limits, now);
        if (limits.requestsPerMinute() != null) {
            long capacity = capacity(limits.requestsPerMinute());
            deny(verdict, scope, DenialReason.REQUESTS_PER_MINUTE,
                    Bucket.waitFor(capacity, requests.level(capacity, now), cost.requests()));
        }
        if (limits.tokensPerMinute() != null) {
            long capacity = capacity(limits.tokensPerMinute());
            deny(verdict, scope, DenialReason.TOKENS_PER_MINUTE,
                    Bucket.waitFor(capacity, tokens.level(capacity, now), cost.tokens()));
        }
        if (cost.slot() && limits.maxConcurrentRequests() != null
                && liveLeases(now) >= capacity(limits.maxConcurrentRequests())) {
            verdict.deny(scope, DenialReason.CONCURRENCY, Verdict.CONCURRENCY_RETRY_MILLIS);
        }
        if (limits.tokenBudget() != null) {
            BudgetPeriod current = BudgetPeriod.of(limits.tokenBudget().period(), now);
            if (usedIn(current.id()) + cost.tokens() > capacity(limits.tokenBudget().limit())) {
                verdict.deny(scope, DenialReason.BUDGET, current.retryAfter(now));
            }
        }
    }

    /** Takes the costs (checked before) and records the states after them in {@code verdict}. */
    void take(Verdict verdict, int scope, Limits limits, long now, Cost cost) {
        if (limits.requestsPerMinute() != null) {
            long capacity = capacity(limits.requestsPerMinute());
            double level = requests.level(capacity, now) - cost.requests();
            requests.set(level, capacity, now);
            verdict.requests(scope, Bucket.state(capacity, level));
        }
        if (limits.tokensPerMinute() != null) {
            long capacity = capacity(limits.tokensPerMinute());
            double level = tokens.level(capacity, now) - cost.tokens();
            tokens.set(level, capacity, now);
            verdict.tokens(scope, Bucket.state(capacity, level));
        }
        if (limits.tokenBudget() != null) {
            BudgetPeriod current = BudgetPeriod.of(limits.tokenBudget().period(), now);
            used = usedIn(current.id()) + cost.tokens();
            period = current.id();
            periodEnd = current.endMillis();
            verdict.budget(scope, budgetState(limits, current, used, now));
        }
    }

    /** Takes or renews the lease of {@code reservation} when the scope limits concurrency. */
    void lease(String reservation, long until, Limits limits) {
        if (limits.maxConcurrentRequests() != null) {
            leases.put(reservation, until);
        }
    }

    void release(String reservation) {
        leases.remove(reservation);
    }

    /**
     * Gives {@code delta} tokens back (takes them when negative) to the token bucket, and to the budget when it
     * still counts the period the reservation was charged to; never below zero, never above capacity.
     */
    void giveBack(Limits limits, long now, long delta, Hold hold) {
        if (delta != 0 && limits.tokensPerMinute() != null) {
            long capacity = capacity(limits.tokensPerMinute());
            tokens.set(Math.clamp(tokens.level(capacity, now) + delta, 0, capacity), capacity, now);
        }
        if (delta != 0 && limits.tokenBudget() != null
                && period.equals(hold.periodId(limits.tokenBudget().period()))) {
            used = Math.clamp(used - delta, 0, capacity(limits.tokenBudget().limit()));
        }
    }

    /** Nothing left worth keeping: no lease, buckets refilled (a minute at most) and no budget still counting. */
    boolean idle(long now) {
        return liveLeases(now) == 0 && now - touched > Bucket.MINUTE_MILLIS
                && (used == 0 || now - Retention.BUDGET_MARGIN_MILLIS >= periodEnd);
    }

    /** Limit, tokens left (never below 0) and ms until the period ends (-1: a total budget, never). */
    private static RateLimitState budgetState(Limits limits, BudgetPeriod current, long used, long now) {
        long limit = capacity(limits.tokenBudget().limit());
        long reset = current.endMillis() == Long.MAX_VALUE ? -1 : current.endMillis() - now;
        return new RateLimitState(limit, Math.max(0, limit - used), reset);
    }

    private long usedIn(String periodId) {
        return periodId.equals(period) ? used : 0;
    }

    private int liveLeases(long now) {
        leases.values().removeIf(expiry -> expiry <= now);
        return leases.size();
    }

    private static void deny(Verdict verdict, int scope, DenialReason reason, long wait) {
        if (wait > 0) {
            verdict.deny(scope, reason, wait);
        }
    }

    private static long capacity(long limit) {
        return Math.max(0, limit);
    }

    /** What one call takes from a scope: requests, tokens and whether it needs a concurrency slot. */
    record Cost(long requests, long tokens, boolean slot) {}
}
