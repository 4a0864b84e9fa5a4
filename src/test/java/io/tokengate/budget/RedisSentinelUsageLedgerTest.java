package io.tokengate.budget;

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

/** The usage ledger contract against a real master found through a real Sentinel (one setup per class). */
class RedisSentinelUsageLedgerTest extends UsageLedgerContract {
    static final Duration TIMEOUT = Duration.ofMillis(2000); // headroom for a loaded 2-core CI machine
    static RedisSentinel sentinel;
    static Vertx vertx;
    static RedisConnection redis;

    @BeforeAll
    static void startSentinel() {
        sentinel = RedisSentinel.start();
        vertx = Vertx.vertx();
        redis = new RedisConnection(vertx, RedisTopology.sentinel(List.of(sentinel.sentinelUrl()),
                RedisSentinel.MASTER_NAME), TIMEOUT);
    }

    @AfterAll
    static void stopSentinel() {
        redis.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        sentinel.stop();
    }

    @Override
    UsageLedger newLedger() {
        await(redis.send(Request.cmd(Command.FLUSHALL)));
        return new RedisUsageLedger(redis);
    }
}
