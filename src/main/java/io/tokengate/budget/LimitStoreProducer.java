package io.tokengate.budget;

import io.tokengate.config.GatewayConfig;
import io.tokengate.storage.RedisConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Chooses the limit store from {@code tokengate.storage.kind}; the Redis client is created only for {@code redis}. */
@ApplicationScoped
class LimitStoreProducer {

    @Produces
    @Singleton
    LimitStore limitStore(GatewayConfig config, Instance<RedisConnection> redis) {
        return switch (config.storage().kind()) {
            case MEMORY -> new InMemoryLimitStore(config.limits().lease());
            case REDIS -> new RedisLimitStore(redis.get(), config.limits().lease());
        };
    }
}
