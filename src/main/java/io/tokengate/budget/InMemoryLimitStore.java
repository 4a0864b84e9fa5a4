package io.tokengate.budget;

import io.smallrye.mutiny.Uni;
import io.tokengate.budget.ScopeState.Cost;
import io.tokengate.tenant.Limits;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The limit store of the embedded default: the same semantics as the Redis store for this process only, every
 * call under one lock (so all-or-none is trivial) on this process's clock. State nobody needs any more (refilled
 * buckets, expired leases and records, ended budget periods) is swept once a minute.
 */
public final class InMemoryLimitStore implements LimitStore {
    private static final long SWEEP_MILLIS = 60_000;

    private final long leaseMillis;
    private final long liveMillis;
    private final LongSupplier clock;
    private final Map<String, ScopeState> states = new HashMap<>();
    private final Map<String, Hold> holds = new HashMap<>();
    private long sweptAt;

    /** A store on {@link System#currentTimeMillis()} whose concurrency slots expire after {@code lease}. */
    public InMemoryLimitStore(Duration lease) {
        this(lease, System::currentTimeMillis);
    }

    /** A store on {@code clock} (epoch milliseconds), for tests. */
    public InMemoryLimitStore(Duration lease, LongSupplier clock) {
        this.leaseMillis = lease.toMillis();
        this.liveMillis = Retention.liveMillis(lease);
        this.clock = clock;
        this.sweptAt = clock.getAsLong();
    }

    @Override
    public Uni<LimitDecision> reserve(String reservationId, List<LimitScope> scopes, long tokens) {
        return Uni.createFrom().item(() -> reserveNow(reservationId, scopes, tokens));
    }

    @Override
    public Uni<LimitDecision> check(List<LimitScope> scopes, long tokens) {
        return Uni.createFrom().item(() -> checkNow(scopes, tokens));
    }

    @Override
    public Uni<LimitDecision> extend(String reservationId, List<LimitScope> scopes, long moreTokens) {
        return Uni.createFrom().item(() -> extendNow(reservationId, scopes, moreTokens));
    }

    @Override
    public Uni<Void> settle(String reservationId, List<LimitScope> scopes, long reservedTokens, long actualTokens) {
        return Uni.createFrom().item(() -> settleNow(reservationId, scopes, reservedTokens, actualTokens))
                .replaceWithVoid();
    }

    private synchronized LimitDecision reserveNow(String id, List<LimitScope> scopes, long tokens) {
        String tenant = LimitScope.tenantOf(scopes);
        if (tenant == null) {
            return LimitDecision.UNLIMITED;
        }
        long now = now();
        Hold hold = hold(tenant, id, now);
        Cost cost = new Cost(1, tokens, true);
        Verdict verdict = hold == null ? check(scopes, now, cost) : observe(scopes, now);
        if (hold != null && hold.settled) {
            verdict.deny(0, DenialReason.CONCURRENCY, Verdict.CONCURRENCY_RETRY_MILLIS);
        }
        if (hold != null || verdict.denied()) {
            return verdict.decision(scopes);
        }
        for (int i = 0; i < scopes.size(); i++) {
            LimitScope scope = scopes.get(i);
            state(scope).take(verdict, i, scope.limits(), now, cost);
            state(scope).lease(id, now + leaseMillis, scope.limits());
        }
        holds.put(key(tenant, id), Hold.live(tokens, now, now + liveMillis));
        return verdict.decision(scopes);
    }

    private synchronized LimitDecision checkNow(List<LimitScope> scopes, long tokens) {
        return LimitScope.tenantOf(scopes) == null ? LimitDecision.UNLIMITED
                : check(scopes, now(), new Cost(1, tokens, true)).decision(scopes);
    }

    private synchronized LimitDecision extendNow(String id, List<LimitScope> scopes, long more) {
        String tenant = LimitScope.tenantOf(scopes);
        if (tenant == null) {
            return LimitDecision.UNLIMITED;
        }
        long now = now();
        Hold hold = hold(tenant, id, now);
        Cost cost = new Cost(0, more, false);
        boolean live = hold != null && !hold.settled;
        Verdict verdict = live ? check(scopes, now, cost) : observe(scopes, now);
        if (!live) {
            verdict.deny(0, DenialReason.CONCURRENCY, Verdict.CONCURRENCY_RETRY_MILLIS);
        }
        if (!verdict.denied()) {
            takeMore(verdict, id, scopes, now, cost, hold);
        }
        return verdict.decision(scopes);
    }

    private void takeMore(Verdict verdict, String id, List<LimitScope> scopes, long now, Cost cost, Hold hold) {
        for (int i = 0; i < scopes.size(); i++) {
            Limits limits = scopes.get(i).limits();
            state(scopes.get(i)).take(verdict, i, limits, now, cost);
            state(scopes.get(i)).lease(id, now + leaseMillis, limits);
            if (limits.tokenBudget() != null) {
                Limits.Period period = limits.tokenBudget().period();
                hold.charged(period, BudgetPeriod.of(period, now).id());
            }
        }
        hold.reserved += cost.tokens();
        hold.expiresAt = now + liveMillis;
    }

    private synchronized Void settleNow(String id, List<LimitScope> scopes, long reserved, long actual) {
        String tenant = LimitScope.tenantOf(scopes);
        if (tenant == null) {
            return null;
        }
        long now = now();
        Hold hold = hold(tenant, id, now);
        if (hold != null && hold.settled) {
            return null;
        }
        for (LimitScope scope : scopes) {
            state(scope).release(id);
            if (hold != null) {
                state(scope).giveBack(scope.limits(), now, Math.min(reserved, hold.reserved) - actual, hold);
            }
        }
        holds.put(key(tenant, id), Hold.settled(now + Retention.SETTLED_MILLIS));
        return null;
    }

    private Verdict check(List<LimitScope> scopes, long now, Cost cost) {
        Verdict verdict = new Verdict(scopes.size());
        for (int i = 0; i < scopes.size(); i++) {
            state(scopes.get(i)).check(verdict, i, scopes.get(i).limits(), now, cost);
        }
        return verdict;
    }

    private Verdict observe(List<LimitScope> scopes, long now) {
        Verdict verdict = new Verdict(scopes.size());
        for (int i = 0; i < scopes.size(); i++) {
            state(scopes.get(i)).observe(verdict, i, scopes.get(i).limits(), now);
        }
        return verdict;
    }

    private ScopeState state(LimitScope scope) {
        return states.computeIfAbsent(key(scope.tenant(), scope.name()), k -> new ScopeState());
    }

    private Hold hold(String tenant, String id, long now) {
        Hold hold = holds.get(key(tenant, id));
        if (hold != null && hold.expiresAt <= now) {
            holds.remove(key(tenant, id));
            return null;
        }
        return hold;
    }

    private long now() {
        long now = clock.getAsLong();
        if (now - sweptAt >= SWEEP_MILLIS) {
            sweptAt = now;
            holds.values().removeIf(hold -> hold.expiresAt <= now);
            states.values().removeIf(state -> state.idle(now));
        }
        return now;
    }

    private static String key(String tenant, String name) {
        return tenant + '\n' + name;
    }
}
