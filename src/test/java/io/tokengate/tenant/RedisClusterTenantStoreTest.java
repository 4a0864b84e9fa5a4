package io.tokengate.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import io.tokengate.config.GatewayConfig;
import io.tokengate.storage.RedisConnection;
import io.tokengate.testing.RedisCluster;
import io.tokengate.testing.RedisFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tenant store contract against a real three-master Redis Cluster (one per class); "another instance" is a
 * second store with its own client (single seed). Plus what Cluster adds: listings that read keys of every slot,
 * and change notifications that reach another replica's {@link TenantDirectory} through pub/sub across nodes.
 */
class RedisClusterTenantStoreTest extends RedisTenantStoreContract {
    @RegisterExtension
    static final RedisFixture REDIS = RedisFixture.cluster(2);

    @Override
    RedisFixture redis() {
        return REDIS;
    }

    @Test
    void listsMoreTenantsThanOnePipelineFromEverySlot() {
        int total = RedisConnection.MAX_BATCH + 100;
        for (int from = 0; from < total; from += 100) {
            int first = from;
            assertThat(concurrently(100, i -> store.create(tenant(String.format("t%05d", first + i), null))))
                    .containsOnlyNulls();
        }
        List<Tenant> all = await(store.tenants());
        assertThat(all).hasSize(total).extracting(Tenant::id).isSorted();
        assertThat(await(otherInstance().tenants())).isEqualTo(all);
        assertThat(REDIS.cluster().nodes()).allSatisfy(node -> assertThat(RedisCluster.keysOn(node))
                .filteredOn(key -> key.endsWith("}:tenant")).hasSizeGreaterThan(total / 10));
    }

    @Test
    void listsKeysStoredOnEveryMaster() {
        await(store.create(tenant("acme", null)));
        List<String> ids = IntStream.range(0, 30).mapToObj(i -> String.format("key%09d", i)).toList();
        ids.forEach(id -> await(store.createKey(key(id, "acme"))));

        assertThat(ids.stream().map(id -> REDIS.cluster().nodeOf(RedisTenantStore.apiKeyKey(id))).distinct())
                .hasSize(REDIS.cluster().nodes().size());
        assertThat(await(otherInstance().keys("acme"))).extracting(ApiKeyRecord::id).containsExactlyElementsOf(ids);
    }

    @Test
    void aRevocationReachesAnotherReplicasDirectoryAtOnce() {
        GatewayConfig config = config(Map.of("tokengate.auth.cache-ttl", "1h"));
        TenantStore otherStore = otherInstance();
        TenantDirectory otherDirectory = new TenantDirectory(otherStore, config);
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        otherStore.onChange(seen::add);
        awaitSubscribed(store, seen);

        await(store.create(tenant("acme", null)));
        await(store.createKey(key("key000000001", "acme")));
        assertArrives(seen, "key:key000000001"); // the creation's own notification, so it cannot pass for the revocation's
        assertThat(await(otherDirectory.key("key000000001"))).hasValueSatisfying(k -> assertThat(k.revokedAt()).isNull());

        assertThat(await(store.revokeKey("acme", "key000000001"))).isTrue();
        assertArrives(seen, "key:key000000001");
        assertThat(await(otherDirectory.key("key000000001")))
                .as("the cached key (TTL 1 h) was dropped by the notification")
                .hasValueSatisfying(k -> assertThat(k.revokedAt()).isNotNull());
    }

    private static GatewayConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().addDefaultInterceptors().withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new MapBackedConfigSource("test", properties) {
                }).withValidateUnknown(false).build().getConfigMapping(GatewayConfig.class);
    }
}
