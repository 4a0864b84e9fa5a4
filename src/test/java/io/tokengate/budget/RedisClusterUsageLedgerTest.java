package io.tokengate.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.storage.RedisConnection;
import io.tokengate.storage.RedisTopology;
import io.tokengate.testing.RedisCluster;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The usage ledger contract against a real three-master Redis Cluster (one per class). */
class RedisClusterUsageLedgerTest extends UsageLedgerContract {
    static final Duration TIMEOUT = Duration.ofMillis(2000); // headroom for a loaded 2-core CI machine
    static RedisCluster cluster;
    static Vertx vertx;
    static RedisConnection redis;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
        vertx = Vertx.vertx();
        redis = new RedisConnection(vertx, RedisTopology.cluster(List.of(cluster.urls().get(0))), TIMEOUT);
    }

    @AfterAll
    static void stopCluster() {
        redis.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        cluster.stop();
    }

    @Override
    UsageLedger newLedger() {
        cluster.flushAll();
        return new RedisUsageLedger(redis);
    }

    @Test
    void keepsEachTenantsStreamOnItsOwnMaster() {
        Set<Object> owners = new HashSet<>();
        for (int i = 0; owners.size() < cluster.nodes().size(); i++) {
            String tenant = "tenant-" + i;
            if (owners.add(cluster.nodeOf(RedisUsageLedger.streamKey(tenant)))) {
                append(usage(tenant, "req-" + i));
                assertThat(ids(read(tenant, Instant.EPOCH, FAR_FUTURE))).containsExactly("req-" + i);
                assertThat(RedisCluster.keysOn(cluster.nodeOf(RedisUsageLedger.streamKey(tenant))))
                        .contains(RedisUsageLedger.streamKey(tenant));
            }
        }
    }
}
