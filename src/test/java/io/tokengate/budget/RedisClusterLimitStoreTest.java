package io.tokengate.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.tenant.Limits;
import io.tokengate.testing.RedisCluster;
import io.tokengate.testing.RedisFixture;
import io.tokengate.testing.RedisServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The limit store contract against a real three-master Redis Cluster (one per class), two replicas with their own
 * Vert.x and client (one given every node as seed, the other a single seed), plus the slot layout.
 */
class RedisClusterLimitStoreTest extends RedisLimitStoreContract {
    @RegisterExtension
    static final RedisFixture REDIS = RedisFixture.cluster(1);

    @Override
    RedisFixture redis() {
        return REDIS;
    }

    @Test
    void keepsEveryKeyOfATenantOnTheMasterOfItsSlot() {
        RedisCluster cluster = REDIS.cluster();
        String far = tenantAwayFrom(cluster, cluster.nodeOf("tg:{t:acme}:"));
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

    private static String tenantAwayFrom(RedisCluster cluster, RedisServer node) {
        for (int i = 0; ; i++) {
            if (cluster.nodeOf("tg:{t:tenant-" + i + "}:") != node) {
                return "tenant-" + i;
            }
        }
    }
}
