package io.tokengate.budget;

import io.tokengate.storage.RedisConnection;
import io.tokengate.storage.RedisTopology;
import io.tokengate.testing.RedisSentinel;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The limit store contract against a real master found through a real Sentinel (one setup per class), two
 * replicas with their own Vert.x and client.
 */
class RedisSentinelLimitStoreTest extends LimitStoreContract {
    static final Duration TIMEOUT = Duration.ofMillis(2000); // headroom for a loaded 2-core CI machine
    static RedisSentinel sentinel;
    static Vertx vertx;
    static Vertx otherVertx;
    static RedisConnection redis;
    static RedisConnection other;

    @BeforeAll
    static void startSentinel() {
        sentinel = RedisSentinel.start();
        vertx = Vertx.vertx();
        otherVertx = Vertx.vertx();
        RedisTopology topology = RedisTopology.sentinel(List.of(sentinel.sentinelUrl()), RedisSentinel.MASTER_NAME);
        redis = new RedisConnection(vertx, topology, TIMEOUT);
        other = new RedisConnection(otherVertx, topology, TIMEOUT);
    }

    @AfterAll
    static void stopSentinel() {
        redis.close();
        other.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        otherVertx.close().toCompletionStage().toCompletableFuture().join();
        sentinel.stop();
    }

    @Override
    LimitStore newStore() {
        await(redis.send(Request.cmd(Command.FLUSHALL)));
        return new RedisLimitStore(redis, LEASE);
    }

    @Override
    LimitStore replica() {
        return new RedisLimitStore(other, LEASE);
    }

    @Override
    void elapse(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    long now() {
        Response time = await(redis.send(Request.cmd(Command.TIME)));
        return time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
    }
}
