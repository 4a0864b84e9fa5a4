package io.tokengate.tenant;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokengate.storage.RedisConnection;
import io.tokengate.storage.RedisTopology;
import io.tokengate.testing.RedisSentinel;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The tenant store contract against a real master found through a real Sentinel (one setup per class); "another
 * instance" is a second store with its own client, so change notifications cross pub/sub.
 */
class RedisSentinelTenantStoreTest extends TenantStoreContract {
    static final Duration TIMEOUT = Duration.ofMillis(2000); // headroom for a loaded 2-core CI machine
    static RedisSentinel sentinel;
    static Vertx vertx;
    static RedisConnection one;
    static RedisConnection two;

    @BeforeAll
    static void startSentinel() {
        sentinel = RedisSentinel.start();
        vertx = Vertx.vertx();
        RedisTopology topology = RedisTopology.sentinel(List.of(sentinel.sentinelUrl()), RedisSentinel.MASTER_NAME);
        one = new RedisConnection(vertx, topology, TIMEOUT);
        two = new RedisConnection(vertx, topology, TIMEOUT);
    }

    @AfterAll
    static void stopSentinel() {
        one.close();
        two.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        sentinel.stop();
    }

    @Override
    TenantStore newStore() {
        await(one.send(Request.cmd(Command.FLUSHALL)));
        return new RedisTenantStore(one, new ObjectMapper());
    }

    @Override
    TenantStore otherInstance() {
        return new RedisTenantStore(two, new ObjectMapper());
    }
}
