package io.tokengate.budget;

import io.tokengate.testing.RedisFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The limit store contract against a real master found through a real Sentinel (one setup per class), two
 * replicas with their own Vert.x and client.
 */
class RedisSentinelLimitStoreTest extends RedisLimitStoreContract {
    @RegisterExtension
    static final RedisFixture REDIS = RedisFixture.sentinel();

    @Override
    RedisFixture redis() {
        return REDIS;
    }
}
