package io.tokengate.admin;

import io.smallrye.mutiny.Uni;
import io.tokengate.tenant.Tenant;
import io.tokengate.tenant.TenantStore;

/** The one "tenant must exist" lookup of the admin API (404 {@code not_found} otherwise). */
final class Tenants {
    private Tenants() {}

    static Uni<Tenant> existing(TenantStore store, String id) {
        return store.tenant(id).map(t -> t.orElseThrow(() -> notFound(id)));
    }

    static TenantStore.NotFound notFound(String id) {
        return new TenantStore.NotFound("tenant '" + id + "' does not exist");
    }
}
