package io.tokengate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration compiler, fed by SmallRye Config exactly as at start, without Quarkus. */
class RouteTableCompilerTest {
    private final Map<String, String> env = new HashMap<>();

    private RouteTable compile(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus' "2s" / "10m" syntax
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        return new RouteTableCompiler(env::get).compile(config.getConfigMapping(GatewayConfig.class));
    }

    private static Map<String, String> valid() {
        Map<String, String> p = new HashMap<>();
        p.put("tokengate.models.llama.pools", "primary,backup");
        p.put("tokengate.models.llama.upstream-model", "meta/llama");
        p.put("tokengate.pools.primary.endpoints[0].url", "http://gpu-a:8000/v1");
        p.put("tokengate.pools.primary.endpoints[1].url", "https://gpu-b");
        p.put("tokengate.pools.primary.endpoints[1].weight", "3");
        p.put("tokengate.pools.primary.timeouts.first-token", "2s");
        p.put("tokengate.pools.backup.endpoints[0].url", "http://backup:9000/prefix/");
        return p;
    }

    @Test
    void compilesModelsPoolsAndEndpoints() {
        RouteTable table = compile(valid());

        ModelRoute llama = table.model("llama").orElseThrow();
        assertThat(llama.upstreamModel()).isEqualTo("meta/llama");
        assertThat(llama.pools()).extracting(PoolSpec::name).containsExactly("primary", "backup");
        PoolSpec primary = llama.pools().get(0);
        assertThat(primary.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(primary.endpoints().get(0)).isEqualTo(new EndpointSpec(new EndpointId("primary", 0), "http", "gpu-a", 8000, "", 1));
        assertThat(primary.endpoints().get(1)).isEqualTo(new EndpointSpec(new EndpointId("primary", 1), "https", "gpu-b", 443, "", 3));
        assertThat(llama.pools().get(1).endpoints().get(0).path("/v1/chat/completions")).isEqualTo("/prefix/v1/chat/completions");
    }

    @Test
    void compilesResilienceSettingsWithDefaultsAndPerPoolUpstreamModels() {
        Map<String, String> p = valid();
        p.put("tokengate.pools.primary.balancer", "prefix-affinity");
        p.put("tokengate.pools.primary.breaker.delay", "3s");
        p.put("tokengate.pools.backup.wake.url", "https://kubernetes.default.svc/apis/apps/v1/namespaces/gpu/deployments/vllm/scale");
        p.put("tokengate.pools.backup.wake.method", "patch");
        p.put("tokengate.models.llama.upstream-models.backup", "meta/llama-small");
        RouteTable table = compile(p);
        ModelRoute llama = table.model("llama").orElseThrow();
        PoolSpec primary = llama.pools().get(0);
        PoolSpec backup = llama.pools().get(1);
        assertThat(primary.balancer()).isEqualTo(PoolSpec.Balancer.PREFIX_AFFINITY);
        assertThat(primary.breaker().delay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(primary.retry().maxRetries()).isEqualTo(2);
        assertThat(primary.health().path()).isEqualTo("/health");
        assertThat(primary.wake()).isEmpty();
        assertThat(backup.wake()).hasValueSatisfying(w -> assertThat(w.method()).isEqualTo("PATCH"));
        assertThat(backup.balancer()).isEqualTo(PoolSpec.Balancer.LEAST_IN_FLIGHT);
        assertThat(llama.upstreamModel(primary)).isEqualTo("meta/llama");
        assertThat(llama.upstreamModel(backup)).isEqualTo("meta/llama-small");
    }

    @Test
    void badResilienceSettingsAreNamedByKey() {
        Map<String, String> p = valid();
        p.put("tokengate.pools.primary.balancer", "random");
        assertThatThrownBy(() -> compile(p)).hasMessageStartingWith("tokengate.pools.primary.balancer: must be");
        Map<String, String> q = valid();
        q.put("tokengate.models.llama.upstream-models.elsewhere", "x");
        assertThatThrownBy(() -> compile(q)).hasMessageStartingWith("tokengate.models.llama.upstream-models.elsewhere:");
        Map<String, String> r = valid();
        r.put("tokengate.pools.backup.breaker.failure-ratio", "1.5");
        assertThatThrownBy(() -> compile(r)).hasMessageStartingWith("tokengate.pools.backup.breaker.failure-ratio:");
    }

    @Test
    void unknownPoolIsNamedByKey() {
        Map<String, String> p = valid();
        p.put("tokengate.models.llama.pools", "primary,nope");
        assertThatThrownBy(() -> compile(p)).isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("tokengate.models.llama.pools: unknown pool 'nope'");
    }

    @Test
    void badUrlWeightAndVersionAreNamedByKey() {
        assertFailsAt("tokengate.pools.primary.endpoints[0].url", "ftp://x");
        assertFailsAt("tokengate.pools.primary.endpoints[1].weight", "0");
        assertFailsAt("tokengate.pools.primary.http-version", "http3");
        assertFailsAt("tokengate.pools.primary.timeouts.idle", "0s");
    }

    @Test
    void upstreamKeysAreReferencesNeverInline() {
        Map<String, String> p = valid();
        p.put("tokengate.pools.primary.api-key-ref", "sk-live-inline-secret");
        assertThatThrownBy(() -> compile(p)).hasMessageStartingWith("tokengate.pools.primary.api-key-ref")
                .hasMessageNotContaining("sk-live-inline-secret");

        p.put("tokengate.pools.primary.api-key-ref", "env:GPU_KEY");
        assertThatThrownBy(() -> compile(p)).hasMessageContaining("env:GPU_KEY is not set");

        env.put("GPU_KEY", "secret-value");
        PoolSpec pool = compile(p).pools().get("primary");
        assertThat(pool.authorization()).hasValue("Bearer secret-value");
        assertThat(pool.toString()).doesNotContain("secret-value");
    }

    private void assertFailsAt(String key, String value) {
        Map<String, String> p = valid();
        p.put(key, value);
        assertThatThrownBy(() -> compile(p)).isInstanceOf(InvalidConfigException.class).hasMessageStartingWith(key + ":");
    }
}
