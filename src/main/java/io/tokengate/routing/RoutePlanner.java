package io.tokengate.routing;

import io.smallrye.mutiny.Uni;
import io.tokengate.config.ModelRoute;
import io.tokengate.config.PoolSpec;
import io.tokengate.config.RouteTable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Stage 5, Route: turns a model into ordered candidates. Pools in configured order (primary, then fallbacks);
 * within a pool, the pool's balancer orders the endpoints that are available (healthy, not ejected, breaker not
 * open). A model whose pools are all scaled to zero is woken and waited for first ({@link #awaitCapacity}).
 */
@Singleton
public class RoutePlanner {
    private final Backends backends;
    private final PoolWaker waker;
    private final Map<String, Balancer> balancers = new HashMap<>();

    @Inject
    public RoutePlanner(RouteTable routes, Backends backends, PoolWaker waker) {
        this.backends = backends;
        this.waker = waker;
        routes.pools().values().forEach(pool -> balancers.put(pool.name(), Balancer.of(pool, backends.pool(pool.name()))));
    }

    /**
     * Completes at once when some pool of {@code model} has an available endpoint (and wakes, without waiting, any
     * preferred pool before it that is at zero and has a wake action). Otherwise, if a pool has a
     * wake action, wakes it (once for all waiting requests) and completes when it turns healthy; fails with 503
     * {@code no_healthy_backend} and {@code Retry-After} when its queue (or {@code tenant}'s share of it) is full or
     * its deadline passes. Runs before admission, so the wait spends none of the tenant's rate or budget; but a
     * pool is woken, or waited for, only after {@code admissible} (the admission check, which reserves nothing)
     * succeeded: a caller who could not be admitted wakes no GPUs and takes no place in a queue.
     */
    public Uni<Void> awaitCapacity(ModelRoute model, String tenant, Supplier<Uni<Void>> admissible) {
        for (int i = 0; i < model.pools().size(); i++) {
            if (backends.ready(model.pools().get(i))) {
                List<PoolSpec> preferredAtZero = model.pools().subList(0, i).stream()
                        .filter(pool -> pool.wake().isPresent()).toList();
                if (preferredAtZero.isEmpty()) {
                    return Uni.createFrom().voidItem(); // the common case: no wake, no check
                }
                // A preferred pool at zero: wake it (for callers who could be admitted), the fallback serves now.
                return admissible.get().invoke(() -> preferredAtZero.forEach(waker::nudge));
            }
        }
        for (PoolSpec pool : model.pools()) {
            if (pool.wake().isPresent()) {
                return admissible.get().chain(() -> waker.await(model.name(), pool, tenant));
            }
        }
        return Uni.createFrom().voidItem(); // nothing to wake: route() answers 503 at once
    }

    /**
     * The candidates for one request of {@code tenant}. The first candidate's in-flight slot is already taken (the
     * balancer's choice and the slot are one atomic step), and the first attempt adopts it. Prefix affinity keys on
     * the tenant and the prompt prefix together: one tenant's repeats share an endpoint's cache, two tenants'
     * identical prompts are not steered onto one.
     */
    public RoutePlan route(ModelRoute model, String tenant, byte[] promptPrefix) {
        byte[] affinityKey = PrefixAffinity.key(tenant, promptPrefix);
        long now = System.nanoTime();
        List<Candidate> candidates = new ArrayList<>(4);
        long soonest = Long.MAX_VALUE;
        for (PoolSpec pool : model.pools()) {
            List<Backend> available = backends.available(pool, now);
            if (available.isEmpty()) {
                for (Backend b : backends.pool(pool.name())) {
                    soonest = Math.min(soonest, b.nanosUntilAvailable(now));
                }
                continue;
            }
            String upstream = model.upstreamModel(pool);
            boolean claim = candidates.isEmpty(); // the first attempt's endpoint: its slot is taken now
            for (Backend b : balancers.get(pool.name()).order(available, affinityKey, claim)) {
                candidates.add(new Candidate(pool, b.endpoint(), upstream, b));
            }
        }
        long retryAfter = soonest == Long.MAX_VALUE ? 1 : Math.max(1, (soonest + 999_999_999L) / 1_000_000_000L);
        return new RoutePlan(model.name(), candidates, retryAfter);
    }

    /** The prompt bytes the balancers of {@code model}'s pools look at (prefix affinity only, else 0). */
    public static int prefixBytes(ModelRoute model) {
        int bytes = 0;
        for (PoolSpec pool : model.pools()) {
            if (pool.balancer() == PoolSpec.Balancer.PREFIX_AFFINITY) {
                bytes = Math.max(bytes, pool.affinity().prefixBytes());
            }
        }
        return bytes;
    }
}
