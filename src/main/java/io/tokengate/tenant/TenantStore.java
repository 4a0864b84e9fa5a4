package io.tokengate.tenant;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where tenants and API keys live: Redis in production ({@code RedisTenantStore}), memory for the embedded
 * default ({@code InMemoryTenantStore}). One contract test suite runs against both. All methods are
 * non-blocking; failures of the backing store surface as failed {@code Uni}s ({@link StoreUnavailable}).
 */
public interface TenantStore {

    /** Creates a tenant; fails with {@link Conflict} if the id, or the OIDC issuer + audience pair, is taken. */
    Uni<Tenant> create(Tenant tenant);

    Uni<Optional<Tenant>> tenant(String id);

    /** All tenants, sorted by id. */
    Uni<List<Tenant>> tenants();

    /** Replaces a tenant; fails with {@link NotFound} if absent, {@link Conflict} on a taken OIDC pair. */
    Uni<Tenant> replace(Tenant tenant);

    /** Deletes a tenant and revokes all its keys; false if it did not exist. */
    Uni<Boolean> delete(String id);

    /** The tenant bound to this OIDC issuer and audience. */
    Uni<Optional<Tenant>> tenantByIssuer(String issuer, String audience);

    /** Stores a new key of an existing tenant ({@link NotFound} otherwise). */
    Uni<ApiKeyRecord> createKey(ApiKeyRecord key);

    /** A key by its public id, revoked or not. */
    Uni<Optional<ApiKeyRecord>> key(String publicId);

    /** The tenant's keys (revoked ones included), sorted by creation time. */
    Uni<List<ApiKeyRecord>> keys(String tenantId);

    /** Revokes a key of this tenant; false if the tenant has no such key. */
    Uni<Boolean> revokeKey(String tenantId, String keyId);

    /**
     * A change notification meaning "anything may have changed": the change feed was (re)connected and
     * notifications published while it was down are lost.
     */
    String ANYTHING_CHANGED = "*";

    /**
     * Subscribes to changes made through any replica's store: the listener gets {@code "tenant:<id>"} or
     * {@code "key:<id>"} within a second of the change (Redis pub/sub; in memory: at once), and
     * {@link #ANYTHING_CHANGED} each time the Redis subscription is made again after its connection was lost (and
     * when it is first made).
     */
    void onChange(Consumer<String> listener);

    /** The id or OIDC binding is already taken. */
    final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message, null, false, false);
        }
    }

    /** The tenant (or key) does not exist. */
    final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message, null, false, false);
        }
    }
}
