package io.tokengate.tenant;

import io.tokengate.testing.RedisFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tenant store contract against a real master found through a real Sentinel (one setup per class); "another
 * instance" is a second store with its own client, so change notifications cross pub/sub.
 */
class RedisSentinelTenantStoreTest extends RedisTenantStoreContract {
    @RegisterExtension
    static final RedisFixture REDIS = RedisFixture.sentinel();

    @Override
    RedisFixture redis() {
        return REDIS;
    }
}
