package io.tokengate.tenant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import io.tokengate.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The data plane's view of tenants and keys: lookups served from a local cache so that key checks stay off Redis
 * on the hot path. Entries expire after {@code tokengate.auth.cache-ttl} (the safety net) and are dropped at once
 * when any replica changes them (the store's change feed: Redis pub/sub), all of them when that feed reconnects.
 * Each cache holds at most {@code tokengate.auth.cache-size} entries, answers "not found" included (Caffeine,
 * size-bounded with TinyLFU eviction), so a flood of unknown credentials costs bounded memory.
 */
@Singleton
public class TenantDirectory {
    private final TenantStore store;
    private final Cache<String, Optional<Tenant>> tenants;
    private final Cache<String, Optional<ApiKeyRecord>> keys;

    @Inject
    public TenantDirectory(TenantStore store, GatewayConfig config) {
        this(store, config.auth().cacheTtl(), config.auth().cacheSize());
    }

    TenantDirectory(TenantStore store, Duration ttl, int maxEntries) {
        this.store = store;
        this.tenants = cache(ttl, maxEntries);
        this.keys = cache(ttl, maxEntries);
        store.onChange(this::invalidate);
    }

    private static <T> Cache<String, Optional<T>> cache(Duration ttl, int maxEntries) {
        // Maintenance on the calling thread: no pool threads, and bounded work per call.
        return Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxEntries).executor(Runnable::run).build();
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

    /**
     * Drops cached entries named by a change notification ({@code tenant:<id>} or {@code key:<id>}), or all of
     * them when changes may have been missed ({@link TenantStore#ANYTHING_CHANGED}: the store's pub/sub
     * subscription was made again, so a revocation published meanwhile is not served until the TTL).
     */
    void invalidate(String change) {
        if (TenantStore.ANYTHING_CHANGED.equals(change)) {
            tenants.invalidateAll();
            keys.invalidateAll();
        } else if (change.startsWith("tenant:")) {
            tenants.invalidate(change.substring(7));
        } else if (change.startsWith("key:")) {
            keys.invalidate(change.substring(4));
        }
    }

    /** Entries held now, tenants and keys together (approximate, for tests and benchmarks). */
    long cachedEntries() {
        tenants.cleanUp();
        keys.cleanUp();
        return tenants.estimatedSize() + keys.estimatedSize();
    }

    private static <T> Uni<Optional<T>> cached(Cache<String, Optional<T>> cache, String id,
            Supplier<Uni<Optional<T>>> load) {
        Optional<T> hit = cache.getIfPresent(id);
        if (hit != null) {
            return Uni.createFrom().item(hit);
        }
        return load.get().invoke(value -> cache.put(id, value));
    }
}
