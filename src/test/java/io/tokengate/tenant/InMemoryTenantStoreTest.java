package io.tokengate.tenant;

/** The tenant store contract against the in-memory store (one replica: "another instance" is itself). */
class InMemoryTenantStoreTest extends TenantStoreContract {

    @Override
    TenantStore newStore() {
        return new InMemoryTenantStore();
    }

    @Override
    TenantStore otherInstance() {
        return store;
    }
}
