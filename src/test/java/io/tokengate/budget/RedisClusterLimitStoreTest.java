package io.tokengate.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.storage.RedisConnection;
import io.tokengate.storage.RedisTopology;
import io.tokengate.tenant.Limits;
import io.tokengate.testing.RedisCluster;
import io.tokengate.testing.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The limit store contract against a real three-master Redis Cluster (one per class), two replicas with their own
 * Vert.x and client (one given every node as seed, the other a single seed), plus the slot layout.
 */
class RedisClusterLimitStoreTest extends LimitStoreContract {
    static final Duration TIMEOUT = Duration.ofMillis(2000); // headroom for a loaded 2-core CI machine
    static RedisCluster cluster;
    static Vertx vertx;
    static Vertx otherVertx;
    static RedisConnection redis;
    static RedisConnection other;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
        vertx = Vertx.vertx();
        otherVertx = Vertx.vertx();
        redis = new RedisConnection(vertx, RedisTopology.cluster(cluster.urls()), TIMEOUT);
        other = new RedisConnection(otherVertx, RedisTopology.cluster(List.of(cluster.urls().get(1))), TIMEOUT);
    }

    @AfterAll
    static void stopCluster() {
        redis.close();
        other.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        otherVertx.close().toCompletionStage().toCompletableFuture().join();
        cluster.stop();
    }

    @Override
    LimitStore newStore() {
        cluster.flushAll();
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

    @Test
    void keepsEveryKeyOfATenantOnTheMasterOfItsSlot() {
        String far = tenantAwayFrom(cluster.nodeOf("tg:{t:acme}:"));
        Limits limits = new Limits(60L, 600L, 2L, new Limits.TokenBudget(1000, Limits.Period.DAY));
        reserve("r-1", 10, tenant(limits), key(limits));
        reserve("r-2", 10, new LimitScope(far, "tenant", limits), new LimitScope(far, "key:k9", limits));

        for (String tenant : List.of("acme", far)) {
            RedisServer owner = cluster.nodeOf("tg:{t:" + tenant + "}:");
            assertThat(RedisCluster.keysOn(owner).stream().filter(k -> k.startsWith("tg:{t:" + tenant + "}:")))
                    .hasSize(9);
            assertThat(cluster.nodes()).filteredOn(node -> node != owner).allSatisfy(node ->
                    assertThat(RedisCluster.keysOn(node)).noneMatch(k -> k.startsWith("tg:{t:" + tenant + "}:")));
        }
    }

    private static String tenantAwayFrom(RedisServer node) {
        for (int i = 0; ; i++) {
            if (cluster.nodeOf("tg:{t:tenant-" + i + "}:") != node) {
                return "tenant-" + i;
            }
        }
    }
}
