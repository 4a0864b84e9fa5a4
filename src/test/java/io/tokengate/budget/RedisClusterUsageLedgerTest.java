package io.tokengate.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.storage.RedisConnection;
import io.tokengate.testing.RedisCluster;
import io.tokengate.testing.RedisFixture;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The usage ledger contract against a real three-master Redis Cluster (one per class), through a single seed. */
class RedisClusterUsageLedgerTest extends RedisUsageLedgerContract {
    @RegisterExtension
    static final RedisFixture REDIS = RedisFixture.cluster(0);

    @Override
    RedisFixture redis() {
        return REDIS;
    }

    /** The replica given a single seed: the ledger must find every master itself. */
    @Override
    RedisConnection connection() {
        return REDIS.replicas().second();
    }

    @Test
    void keepsEachTenantsStreamOnItsOwnMaster() {
        Set<Object> owners = new HashSet<>();
        for (int i = 0; owners.size() < REDIS.cluster().nodes().size(); i++) {
            String tenant = "tenant-" + i;
            if (owners.add(REDIS.cluster().nodeOf(RedisUsageLedger.streamKey(tenant)))) {
                append(usage(tenant, "req-" + i));
                assertThat(ids(read(tenant, Instant.EPOCH, FAR_FUTURE))).containsExactly("req-" + i);
                assertThat(RedisCluster.keysOn(REDIS.cluster().nodeOf(RedisUsageLedger.streamKey(tenant))))
                        .contains(RedisUsageLedger.streamKey(tenant));
            }
        }
    }
}
