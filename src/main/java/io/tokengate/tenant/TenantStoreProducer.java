package io.tokengate.tenant;

import io.tokengate.config.GatewayConfig;
import io.tokengate.config.InvalidConfigException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Chooses the tenant store from {@code tokengate.storage.kind}. */
@ApplicationScoped
class TenantStoreProducer {

    @Produces
    @Singleton
    TenantStore tenantStore(GatewayConfig config) {
        return switch (config.storage().kind()) {
            case "memory" -> new InMemoryTenantStore();
            default -> throw new InvalidConfigException("tokengate.storage.kind",
                    "must be 'memory' or 'redis', not '" + config.storage().kind() + "'");
        };
    }
}
