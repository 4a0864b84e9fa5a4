package io.tokengate.ingress;

import io.tokengate.config.GatewayConfig;
import io.tokengate.config.RequestLimits;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory request bodies may take on this replica: a global budget and each tenant's share of it, taken before
 * a body is read and given back when its request ends. So no tenant, however many bodies it sends at once, can
 * exhaust the heap or crowd out the others: past its share it gets 429, past the global budget everybody gets 503,
 * and both before a byte of the body is held.
 */
@Singleton
public class BodyMemory {
    private final long total;
    private final long perTenant;
    private final AtomicLong used = new AtomicLong();
    private final Map<String, AtomicLong> byTenant = new ConcurrentHashMap<>();

    @Inject
    public BodyMemory(GatewayConfig config) {
        this(total(config.limits()), perTenant(config.limits()));
    }

    BodyMemory(long total, long perTenant) {
        this.total = total;
        this.perTenant = perTenant;
    }

    private static long total(RequestLimits limits) {
        return limits.bodyMemory().orElse(Runtime.getRuntime().maxMemory() / 4);
    }

    private static long perTenant(RequestLimits limits) {
        return limits.bodyMemoryPerTenant().orElse(Math.max(limits.maxBodyBytes(), total(limits) / 4));
    }

    /** Takes {@code bytes} for one of {@code tenant}'s bodies, or fails with the catalogued refusal. */
    void take(String tenant, long bytes) {
        AtomicLong mine = byTenant.computeIfAbsent(tenant, t -> new AtomicLong()); // one per tenant: bounded
        if (mine.addAndGet(bytes) > perTenant) {
            mine.addAndGet(-bytes);
            throw new GatewayFailure(new GatewayError.RateLimited(tenant, "request bodies in flight", false, 1, Map.of()));
        }
        if (used.addAndGet(bytes) > total) {
            used.addAndGet(-bytes);
            mine.addAndGet(-bytes);
            throw new GatewayFailure(new GatewayError.ServerBusy("request bodies in memory"));
        }
    }

    /** Gives back what {@link #take} took. */
    void give(String tenant, long bytes) {
        used.addAndGet(-bytes);
        byTenant.get(tenant).addAndGet(-bytes);
    }

    /** Bytes held now, all tenants together. */
    public long used() {
        return used.get();
    }
}
