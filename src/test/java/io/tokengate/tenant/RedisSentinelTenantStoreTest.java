package io.tokengate.tenant;

import io.tokengate.storage.RedisTopology;
import io.tokengate.testing.RedisReplicas;
import io.tokengate.testing.RedisSentinel;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The tenant store contract against a real master found through a real Sentinel (one setup per class); "another
 * instance" is a second store with its own client, so change notifications cross pub/sub.
 */
class RedisSentinelTenantStoreTest extends RedisTenantStoreContract {
    static RedisSentinel sentinel;
    static RedisReplicas replicas;

    @BeforeAll
    static void startSentinel() {
        sentinel = RedisSentinel.start();
        replicas = new RedisReplicas(RedisTopology.sentinel(List.of(sentinel.sentinelUrl()), RedisSentinel.MASTER_NAME));
    }

    @AfterAll
    static void stopSentinel() {
        replicas.close();
        sentinel.stop();
    }

    @Override
    RedisReplicas replicas() {
        return replicas;
    }
}
