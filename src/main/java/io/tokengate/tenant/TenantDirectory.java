package io.tokengate.tenant;

import io.smallrye.mutiny.Uni;
import io.tokengate.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The data plane's view of tenants and keys: lookups served from a small local cache so that key checks stay off
 * Redis on the hot path. Entries expire after {@code tokengate.auth.cache-ttl} (the safety net) and are dropped
 * at once when any replica changes them (the store's change feed: Redis pub/sub).
 */
@Singleton
public class TenantDirectory {
    private final TenantStore store;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Cached<Tenant>> tenants = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Cached<ApiKeyRecord>> keys = new ConcurrentHashMap<>();

    private record Cached<T>(Optional<T> value, long expiresNanos) {
        boolean fresh(long now) {
            return now < expiresNanos;
        }
    }

    @Inject
    public TenantDirectory(TenantStore store, GatewayConfig config) {
        this.store = store;
        this.ttlNanos = config.auth().cacheTtl().toNanos();
        store.onChange(this::invalidate);
    }

    /** A tenant by id (cached). */
    public Uni<Optional<Tenant>> tenant(String id) {
        return cached(tenants, id, () -> store.tenant(id));
    }

    /** A key by its public id (cached; revoked and expired keys are returned too, the caller checks). */
    public Uni<Optional<ApiKeyRecord>> key(String publicId) {
        return cached(keys, publicId, () -> store.key(publicId));
    }

    /** The tenant bound to an OIDC issuer and audience (not cached: token verification is cached by OIDC). */
    public Uni<Optional<Tenant>> tenantByIssuer(String issuer, String audience) {
        return store.tenantByIssuer(issuer, audience);
    }

    /** Drops cached entries named by a change notification ({@code tenant:<id>} or {@code key:<id>}). */
    void invalidate(String change) {
        if (change.startsWith("tenant:")) {
            tenants.remove(change.substring(7));
        } else if (change.startsWith("key:")) {
            keys.remove(change.substring(4));
        }
    }

    private <T> Uni<Optional<T>> cached(ConcurrentHashMap<String, Cached<T>> cache, String id,
            Supplier<Uni<Optional<T>>> load) {
        long now = System.nanoTime();
        Cached<T> hit = cache.get(id);
        if (hit != null && hit.fresh(now)) {
            return Uni.createFrom().item(hit.value());
        }
        return load.get().invoke(value -> cache.put(id, new Cached<>(value, now + ttlNanos)));
    }
}
