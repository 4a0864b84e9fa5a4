package io.tokengate.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import io.tokengate.config.GatewayConfig;
import io.tokengate.config.InvalidConfigException;
import io.tokengate.config.StorageConfig;
import io.tokengate.storage.RedisTopology.Mode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code tokengate.storage.redis-*}: what each mode takes, and the errors that name the key. */
class RedisTopologyTest {

    @Test
    void standaloneIsTheDefaultAndNeedsTheUrl() {
        RedisTopology topology = RedisTopology.of(config(Map.of("tokengate.storage.redis-url", "redis://r:6379")));
        assertThat(topology).isEqualTo(RedisTopology.standalone("redis://r:6379"));
        assertThat(topology.mode()).isEqualTo(Mode.STANDALONE);

        assertThatThrownBy(() -> RedisTopology.of(config(Map.of()))).isInstanceOf(InvalidConfigException.class)
                .hasMessage("tokengate.storage.redis-url: is required when tokengate.storage.kind=redis");
        assertThatThrownBy(() -> RedisTopology.of(config(Map.of("tokengate.storage.redis-url", "redis://r:6379",
                "tokengate.storage.redis-urls", "redis://a:6379,redis://b:6379"))))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("tokengate.storage.redis-urls: is only used with tokengate.storage.redis-mode=");
    }

    @Test
    void clusterTakesSeedsFromTheListAndTheUrl() {
        assertThat(RedisTopology.of(config(Map.of("tokengate.storage.redis-mode", "cluster",
                "tokengate.storage.redis-urls", "redis://a:7000, redis://b:7001,redis://a:7000"))))
                .isEqualTo(RedisTopology.cluster(List.of("redis://a:7000", "redis://b:7001")));
        assertThat(RedisTopology.of(config(Map.of("tokengate.storage.redis-mode", "CLUSTER",
                "tokengate.storage.redis-url", "rediss://:pw@redis-cluster:6379",
                "tokengate.storage.redis-urls", "rediss://:pw@node-0:6379"))))
                .isEqualTo(RedisTopology.cluster(List.of("rediss://:pw@node-0:6379", "rediss://:pw@redis-cluster:6379")));
        assertThat(RedisTopology.of(config(Map.of("tokengate.storage.redis-mode", "cluster",
                "tokengate.storage.redis-url", "redis://redis-cluster:6379"))).urls())
                .containsExactly("redis://redis-cluster:6379");

        assertThatThrownBy(() -> RedisTopology.of(config(Map.of("tokengate.storage.redis-mode", "cluster"))))
                .isInstanceOf(InvalidConfigException.class).hasMessage("tokengate.storage.redis-urls: is required when "
                        + "tokengate.storage.redis-mode=cluster (cluster seed nodes, comma-separated)");
        assertThatThrownBy(() -> RedisTopology.of(config(Map.of("tokengate.storage.redis-mode", "cluster",
                "tokengate.storage.redis-urls", "redis://a:7000,http://b:7001"))))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("tokengate.storage.redis-urls[1]: must start with redis:// or rediss:// in "
                        + "tokengate.storage.redis-mode=cluster");
        assertThatThrownBy(() -> RedisTopology.of(config(Map.of("tokengate.storage.redis-mode", "cluster",
                "tokengate.storage.redis-url", "redis://"))))
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("tokengate.storage.redis-url: ");
    }

    @Test
    void sentinelNeedsSentinelPortsAndAMasterName() {
        RedisTopology topology = RedisTopology.of(config(Map.of("tokengate.storage.redis-mode", "sentinel",
                "tokengate.storage.redis-urls", "redis://:pw@s-0:26379,redis://:pw@s-1:26379")));
        assertThat(topology).isEqualTo(RedisTopology.sentinel(List.of("redis://:pw@s-0:26379", "redis://:pw@s-1:26379"),
                "mymaster"));
        assertThat(topology.toString()).doesNotContain("pw").contains("sentinel", "mymaster");
        assertThat(RedisTopology.of(config(Map.of("tokengate.storage.redis-mode", "sentinel",
                "tokengate.storage.redis-url", "redis://s:26379", "tokengate.storage.redis-master-name", "cache"))))
                .isEqualTo(RedisTopology.sentinel(List.of("redis://s:26379"), "cache"));

        assertThatThrownBy(() -> RedisTopology.of(config(Map.of("tokengate.storage.redis-mode", "sentinel",
                "tokengate.storage.redis-urls", "redis://s-0"))))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("tokengate.storage.redis-urls[0]: needs the Sentinel's port (usually 26379)");
        assertThatThrownBy(() -> RedisTopology.of("sentinel", Optional.of("redis://s:26379"), List.of(), " "))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("tokengate.storage.redis-master-name: ");
    }

    @Test
    void refusesAnUnknownMode() {
        assertThatThrownBy(() -> RedisTopology.of(config(Map.of("tokengate.storage.redis-mode", "replicated",
                "tokengate.storage.redis-url", "redis://r:6379"))))
                .isInstanceOf(InvalidConfigException.class).hasMessage(
                        "tokengate.storage.redis-mode: must be 'standalone', 'cluster' or 'sentinel', not 'replicated'");
    }

    /** The storage section as SmallRye maps it from {@code properties} (the same parsing as in production). */
    private static StorageConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new MapBackedConfigSource("test", properties) {
                }).withValidateUnknown(false).build();
        return config.getConfigMapping(GatewayConfig.class).storage();
    }
}
