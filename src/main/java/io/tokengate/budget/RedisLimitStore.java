package io.tokengate.budget;

import io.smallrye.mutiny.Uni;
import io.tokengate.storage.RedisConnection;
import io.tokengate.storage.RedisConnection.Script;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;

/**
 * The limit store on Redis, shared by every replica: each operation is ONE Lua script ({@link LimitScripts}),
 * run with EVALSHA, so checking and consuming every scope is atomic however many replicas call at once. The
 * scripts read the Redis server's clock ({@code TIME}), never the replica's, and touch only the tenant's keys
 * ({@link LimitKeys}), which share one cluster slot. Settle is idempotent through the reservation record, which
 * the same script marks settled. Failures surface as {@code StoreUnavailable} from {@link RedisConnection}.
 */
final class RedisLimitStore implements LimitStore {
    /** Numbers per scope in a reply with budget states (three states of three). */
    private static final int BUDGET_STRIDE = 9;

    private final RedisConnection redis;
    private final long leaseMillis;
    private final long liveMillis;

    RedisLimitStore(RedisConnection redis, Duration lease) {
        this.redis = redis;
        this.leaseMillis = lease.toMillis();
        this.liveMillis = Retention.liveMillis(lease);
    }

    @Override
    public Uni<LimitDecision> reserve(String reservationId, List<LimitScope> scopes, long tokens) {
        return decide(LimitScripts.ADMIT, reservationId, scopes, tokens);
    }

    @Override
    public Uni<LimitDecision> check(List<LimitScope> scopes, long tokens) {
        return decide(LimitScripts.CHECK, "check", scopes, tokens); // the id names no reservation: never read
    }

    @Override
    public Uni<LimitDecision> extend(String reservationId, List<LimitScope> scopes, long moreTokens) {
        return decide(LimitScripts.EXTEND, reservationId, scopes, moreTokens);
    }

    @Override
    public Uni<Void> settle(String reservationId, List<LimitScope> scopes, long reservedTokens, long actualTokens) {
        return Uni.createFrom().deferred(() -> {
            String tenant = LimitScope.tenantOf(scopes);
            return tenant == null ? Uni.createFrom().voidItem()
                    : redis.eval(LimitScripts.SETTLE, LimitKeys.keys(tenant, reservationId, scopes),
                            LimitKeys.args(reservationId, reservedTokens, actualTokens, Retention.SETTLED_MILLIS,
                                    scopes)).replaceWithVoid();
        });
    }

    private Uni<LimitDecision> decide(Script script, String reservationId, List<LimitScope> scopes, long tokens) {
        return Uni.createFrom().deferred(() -> {
            String tenant = LimitScope.tenantOf(scopes);
            return tenant == null ? Uni.createFrom().item(LimitDecision.UNLIMITED)
                    : redis.eval(script, LimitKeys.keys(tenant, reservationId, scopes),
                            LimitKeys.args(reservationId, tokens, leaseMillis, liveMillis, scopes))
                            .map(reply -> decision(reply, scopes));
        });
    }

    /**
     * Reads the script's reply (see {@code reply} in limits.lua) into a decision: 4 numbers, then 9 per scope
     * (requests, tokens, budget: limit, remaining, reset each); a reply of the v1 scripts, 6 per scope without the
     * budget, is read too (its decision has no budget state).
     */
    static LimitDecision decision(Response reply, List<LimitScope> scopes) {
        Verdict verdict = new Verdict(scopes.size());
        int denied = reply.get(1).toInteger();
        if (reply.get(0).toInteger() == 0) {
            verdict.deny(Math.max(0, denied - 1), DenialReason.values()[reply.get(2).toInteger() - 1],
                    reply.get(3).toLong());
        }
        boolean budgets = reply.size() >= 4 + BUDGET_STRIDE * scopes.size();
        int stride = budgets ? BUDGET_STRIDE : 6;
        for (int i = 0; i < scopes.size(); i++) {
            verdict.requests(i, state(reply, 4 + stride * i));
            verdict.tokens(i, state(reply, 7 + stride * i));
            if (budgets) {
                verdict.budget(i, state(reply, 10 + stride * i));
            }
        }
        return verdict.decision(scopes);
    }

    private static RateLimitState state(Response reply, int at) {
        long limit = reply.get(at).toLong();
        return limit < 0 ? null : new RateLimitState(limit, reply.get(at + 1).toLong(), reply.get(at + 2).toLong());
    }
}
