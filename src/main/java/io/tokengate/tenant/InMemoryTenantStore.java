package io.tokengate.tenant;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Tenants and keys in this process only: the embedded default (one replica). */
public final class InMemoryTenantStore implements TenantStore {
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final Map<String, ApiKeyRecord> keys = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public synchronized Uni<Tenant> create(Tenant tenant) {
        if (tenants.containsKey(tenant.id())) {
            return Uni.createFrom().failure(new Conflict("tenant '" + tenant.id() + "' already exists"));
        }
        return bindingTaken(tenant) ? conflictOnBinding(tenant) : put(tenant);
    }

    @Override
    public Uni<Optional<Tenant>> tenant(String id) {
        return Uni.createFrom().item(Optional.ofNullable(tenants.get(id)));
    }

    @Override
    public Uni<List<Tenant>> tenants() {
        return Uni.createFrom().item(tenants.values().stream().sorted(Comparator.comparing(Tenant::id)).toList());
    }

    @Override
    public synchronized Uni<Tenant> replace(Tenant tenant) {
        if (!tenants.containsKey(tenant.id())) {
            return Uni.createFrom().failure(new NotFound("tenant '" + tenant.id() + "' does not exist"));
        }
        return bindingTaken(tenant) ? conflictOnBinding(tenant) : put(tenant);
    }

    @Override
    public synchronized Uni<Boolean> delete(String id) {
        if (tenants.remove(id) == null) {
            return Uni.createFrom().item(false);
        }
        keys.values().stream().filter(k -> k.tenantId().equals(id)).toList()
                .forEach(k -> revoke(k));
        changed("tenant:" + id);
        return Uni.createFrom().item(true);
    }

    @Override
    public Uni<Optional<Tenant>> tenantByIssuer(String issuer, String audience) {
        return Uni.createFrom().item(tenants.values().stream()
                .filter(t -> t.oidc() != null && t.oidc().issuer().equals(issuer) && t.oidc().audience().equals(audience))
                .findFirst());
    }

    @Override
    public synchronized Uni<ApiKeyRecord> createKey(ApiKeyRecord key) {
        if (!tenants.containsKey(key.tenantId())) {
            return Uni.createFrom().failure(new NotFound("tenant '" + key.tenantId() + "' does not exist"));
        }
        if (keys.putIfAbsent(key.id(), key) != null) {
            return Uni.createFrom().failure(new Conflict("key id '" + key.id() + "' already exists"));
        }
        return Uni.createFrom().item(key);
    }

    @Override
    public Uni<Optional<ApiKeyRecord>> key(String publicId) {
        return Uni.createFrom().item(Optional.ofNullable(keys.get(publicId)));
    }

    @Override
    public Uni<List<ApiKeyRecord>> keys(String tenantId) {
        return Uni.createFrom().item(keys.values().stream().filter(k -> k.tenantId().equals(tenantId))
                .sorted(Comparator.comparing(ApiKeyRecord::createdAt).thenComparing(ApiKeyRecord::id)).toList());
    }

    @Override
    public synchronized Uni<Boolean> revokeKey(String tenantId, String keyId) {
        ApiKeyRecord key = keys.get(keyId);
        if (key == null || !key.tenantId().equals(tenantId)) {
            return Uni.createFrom().item(false);
        }
        revoke(key);
        return Uni.createFrom().item(true);
    }

    @Override
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    private void revoke(ApiKeyRecord key) {
        if (key.revokedAt() == null) {
            keys.put(key.id(), key.revoked(Instant.now()));
        }
        changed("key:" + key.id());
    }

    private Uni<Tenant> put(Tenant tenant) {
        tenants.put(tenant.id(), tenant);
        changed("tenant:" + tenant.id());
        return Uni.createFrom().item(tenant);
    }

    private boolean bindingTaken(Tenant tenant) {
        return tenant.oidc() != null && tenants.values().stream().anyMatch(other -> !other.id().equals(tenant.id())
                && Objects.equals(other.oidc(), tenant.oidc()));
    }

    private static Uni<Tenant> conflictOnBinding(Tenant tenant) {
        return Uni.createFrom().failure(new Conflict("another tenant already uses OIDC issuer '"
                + tenant.oidc().issuer() + "' with audience '" + tenant.oidc().audience() + "'"));
    }

    private void changed(String what) {
        listeners.forEach(listener -> listener.accept(what));
    }
}
