package io.tokengate.storage;

import static io.tokengate.storage.RedisClusterTest.await;
import static io.tokengate.storage.RedisClusterTest.awaitLive;
import static io.tokengate.storage.RedisClusterTest.failure;
import static io.tokengate.storage.RedisClusterTest.join;
import static io.tokengate.storage.RedisClusterTest.onLoop;
import static io.tokengate.storage.RedisClusterTest.pause;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.storage.StoreUnavailable;
import io.tokengate.testing.RedisSentinel;
import io.tokengate.testing.RedisServer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisConnection} in mode {@code sentinel} against a real master, one replica and one Sentinel (one setup
 * per class): the master is found through the Sentinel, a wrong master name fails fast, and a failover is followed
 * by the event loops' connections, the pool and the pub/sub subscription without a restart.
 */
class RedisSentinelTest {
    static final Duration TIMEOUT = Duration.ofMillis(2000); // headroom for a loaded 2-core CI machine
    static final Duration WAIT = Duration.ofSeconds(20);
    static RedisSentinel sentinel;
    static Vertx vertx;
    static RedisConnection redis;

    @BeforeAll
    static void startSentinel() {
        sentinel = RedisSentinel.start(1);
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

    @Test
    void writesToTheMasterTheSentinelNames() {
        assertThat(await(redis.send(Request.cmd(Command.INFO).arg("replication"))).toString()).contains("role:master");
        await(redis.send(Request.cmd(Command.SET).arg("found").arg("yes")));
        assertThat(sentinel.master().call("GET", "found")).isEqualTo("yes");
    }

    @Test
    void anUnknownMasterNameFailsFast() {
        RedisConnection wrong = new RedisConnection(vertx, RedisTopology.sentinel(List.of(sentinel.sentinelUrl()),
                "no-such-master"), TIMEOUT);
        try {
            long started = System.nanoTime();
            assertThat(failure(wrong.send(Request.cmd(Command.PING)))).isInstanceOf(StoreUnavailable.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.plusMillis(500));
            assertThat(await(wrong.ping())).isFalse();
        } finally {
            wrong.close();
        }
    }

    @Test
    void followsAFailoverWithoutARestart() {
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        redis.subscribe("tg:test", seen::add);
        awaitLive(seen, probe -> await(redis.send(Request.cmd(Command.PUBLISH).arg("tg:test").arg(probe))));
        Context loop = ((VertxInternal) vertx).createEventLoopContext();
        join(onLoop(loop, () -> redis.send(Request.cmd(Command.SET).arg("on-loop").arg("before"))));
        await(redis.send(Request.cmd(Command.SET).arg("pooled").arg("before")));

        RedisServer old = sentinel.master();
        RedisServer fresh = sentinel.failover();
        assertThat(fresh).isNotSameAs(old);

        eventually("writes from an event loop reach the new master", () -> {
            join(onLoop(loop, () -> redis.send(Request.cmd(Command.SET).arg("on-loop").arg("after"))));
            assertThat(fresh.call("GET", "on-loop")).isEqualTo("after");
        });
        eventually("pooled writes reach the new master", () -> {
            await(redis.send(Request.cmd(Command.SET).arg("pooled").arg("after")));
            assertThat(fresh.call("GET", "pooled")).isEqualTo("after");
        });
        awaitLive(seen, probe -> fresh.call("PUBLISH", "tg:test", probe));
    }

    /** Runs {@code attempt} until it passes (failures of a connection still on its way count as not yet). */
    private static void eventually(String what, Runnable attempt) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                attempt.run();
                return;
            } catch (RuntimeException | AssertionError notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(what + " within " + WAIT, notYet);
                }
                pause(50);
            }
        }
    }
}
