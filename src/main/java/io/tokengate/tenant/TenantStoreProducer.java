package io.tokengate.tenant;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.config.GatewayConfig;
import io.tokengate.storage.RedisConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Chooses the tenant store from {@code tokengate.storage.kind}; the Redis client is created only for {@code redis}. */
@ApplicationScoped
class TenantStoreProducer {

    @Produces
    @Singleton
    TenantStore tenantStore(GatewayConfig config, Instance<RedisConnection> redis, ObjectMapper mapper) {
        return switch (config.storage().kind()) {
            case MEMORY -> new InMemoryTenantStore();
            case REDIS -> new RedisTenantStore(redis.get(), mapper);
        };
    }
}
