package io.tokengate.auth;

import io.tokengate.tenant.OidcBinding;
import io.tokengate.tenant.Tenant;
import io.tokengate.tenant.TenantStore;
import io.tokengate.testing.Keycloak;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The tenants the OIDC tests authenticate as, and the Keycloak tokens of their clients. */
final class OidcTenants {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private OidcTenants() {}

    /** tenant-a (sim-llama) and tenant-b (sim-embed) named by the shared issuer; acme bound to its own realm. */
    static void ensure(TenantStore store) {
        ensure(store, new Tenant("tenant-a", "Tenant A", List.of("sim-llama"), null, null, Instant.now()));
        ensure(store, new Tenant("tenant-b", "Tenant B", List.of("sim-embed"), null, null, Instant.now()));
        ensure(store, new Tenant("acme", "Acme", List.of("sim-llama", "sim-embed"), null,
                new OidcBinding(Keycloak.issuer("acme"), "acme-gateway"), Instant.now()));
    }

    private static void ensure(TenantStore store, Tenant tenant) {
        if (store.tenant(tenant.id()).await().atMost(WAIT).isEmpty()) {
            store.create(tenant).await().atMost(WAIT);
        }
    }

    static String tenantA() {
        return Keycloak.clientCredentialsToken("tokengate", "tenant-a-service", "tenant-a-secret");
    }

    static String tenantB() {
        return Keycloak.clientCredentialsToken("tokengate", "tenant-b-service", "tenant-b-secret");
    }

    static String admin() {
        return Keycloak.clientCredentialsToken("tokengate", "admin-service", "admin-secret");
    }

    static String acme() {
        return Keycloak.clientCredentialsToken("acme", "acme-service", "acme-secret");
    }
}
