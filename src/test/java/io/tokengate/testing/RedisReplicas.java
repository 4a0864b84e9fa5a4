package io.tokengate.testing;

import io.tokengate.storage.RedisConnection;
import io.tokengate.storage.RedisTopology;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;

/**
 * The Redis clients of two gateway replicas, each with its own Vert.x, for the store contract tests against
 * standalone Redis, a Sentinel or a Cluster. {@link #close()} closes both clients and both Vert.x instances.
 */
public final class RedisReplicas implements AutoCloseable {
    /** Longest wait for one command: headroom for a loaded 2-core CI machine. */
    public static final Duration TIMEOUT = Duration.ofMillis(2000);
    private final Vertx firstVertx = Vertx.vertx();
    private final Vertx secondVertx = Vertx.vertx();
    private final RedisConnection first;
    private final RedisConnection second;

    /** Both replicas reach Redis the same way. */
    public RedisReplicas(RedisTopology topology) {
        this(topology, topology);
    }

    public RedisReplicas(RedisTopology first, RedisTopology second) {
        this.first = new RedisConnection(firstVertx, first, TIMEOUT);
        this.second = new RedisConnection(secondVertx, second, TIMEOUT);
    }

    /** The client of the replica under test. */
    public RedisConnection first() {
        return first;
    }

    /** The client of the other replica. */
    public RedisConnection second() {
        return second;
    }

    /** Deletes every key (through the first client; a Cluster needs {@link RedisCluster#flushAll()} instead). */
    public void flushAll() {
        first.send(Request.cmd(Command.FLUSHALL)).await().atMost(Duration.ofSeconds(10));
    }

    /** Redis' clock (TIME), in epoch milliseconds. */
    public long nowMillis() {
        Response time = first.send(Request.cmd(Command.TIME)).await().atMost(Duration.ofSeconds(10));
        return time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
    }

    @Override
    public void close() {
        first.close();
        second.close();
        firstVertx.close().toCompletionStage().toCompletableFuture().join();
        secondVertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
