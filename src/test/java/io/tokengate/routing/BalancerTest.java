package io.tokengate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokengate.config.EndpointId;
import io.tokengate.config.EndpointSpec;
import io.tokengate.config.PoolSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The balancers as pure functions of the endpoints' live state. */
class BalancerTest {
    private static final RoutingMetrics METRICS = new RoutingMetrics(new SimpleMeterRegistry());

    static List<Backend> pool(PoolSpec.Balancer balancer, int... weights) {
        List<EndpointSpec> endpoints = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            endpoints.add(new EndpointSpec(new EndpointId("p", i), "http", "h" + i, 8000, "", weights[i]));
        }
        PoolSpec spec = new PoolSpec("p", endpoints, Optional.empty(), false, 8, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), balancer,
                new PoolSpec.Affinity(64, 1.25), new PoolSpec.Breaker(0.5, 10, Duration.ofSeconds(5), 1),
                new PoolSpec.Retry(2, Duration.ofMillis(10), Duration.ofMillis(100), 0.2, 5),
                new PoolSpec.Health(false, "/health", Duration.ofSeconds(5), Duration.ofSeconds(1), 1, 2),
                new PoolSpec.Ejection(3, Duration.ofSeconds(10), Duration.ofSeconds(60), 50), Optional.empty(), true);
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            backends.add(new Backend(spec, endpoints.get(i), i, METRICS));
        }
        List<Backend> siblings = List.copyOf(backends);
        siblings.forEach(b -> b.siblings(siblings));
        return siblings;
    }

    private static Map<Backend, Integer> firsts(Balancer balancer, List<Backend> backends, int n) {
        Map<Backend, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(balancer.order(backends, new byte[0], false).get(0), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void weightedRoundRobinHonoursWeightsInterleaved() {
        List<Backend> b = pool(PoolSpec.Balancer.WEIGHTED_ROUND_ROBIN, 1, 3);
        Balancer wrr = Balancer.of(b.get(0).pool(), b);
        List<Backend> sequence = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sequence.add(wrr.order(b, new byte[0], false).get(0));
        }
        assertThat(sequence.stream().filter(x -> x == b.get(1)).count()).isEqualTo(6);
        assertThat(sequence.subList(0, 4)).containsOnlyOnce(b.get(0)); // smooth: not b1,b1,b1,b0 bursts of the light one
        assertThat(wrr.order(b, new byte[0], false)).containsExactlyInAnyOrderElementsOf(b); // the rest follow as retries
    }

    @Test
    void leastInFlightAvoidsTheBusyEndpoint() {
        List<Backend> b = pool(PoolSpec.Balancer.LEAST_IN_FLIGHT, 1, 1);
        for (int i = 0; i < 5; i++) {
            b.get(0).acquire();
        }
        Map<Backend, Integer> counts = firsts(Balancer.of(b.get(0).pool(), b), b, 100);
        assertThat(counts).containsOnlyKeys(b.get(1)); // with two endpoints both are always compared
    }

    @Test
    void leastInFlightSpreadsEvenlyWhenIdleAndClaimsTheSlot() {
        List<Backend> b = pool(PoolSpec.Balancer.LEAST_IN_FLIGHT, 1, 1, 1, 1);
        Balancer lif = Balancer.of(b.get(0).pool(), b);
        for (int i = 0; i < 400; i++) {
            lif.order(b, new byte[0], true); // each claim raises the chosen one's in-flight count
        }
        assertThat(b).allSatisfy(x -> assertThat(x.inFlight()).isBetween(95, 105));
    }

    @Test
    void prefixAffinityIsStickyPerPrefixAndSpreadsDistinctPrefixes() {
        List<Backend> b = pool(PoolSpec.Balancer.PREFIX_AFFINITY, 1, 1, 1);
        Balancer affinity = Balancer.of(b.get(0).pool(), b);
        byte[] prefix = "[{\"role\":\"system\",\"content\":\"You are a tax assistant\"}".getBytes(StandardCharsets.UTF_8);
        Backend home = affinity.order(b, prefix, false).get(0);
        for (int i = 0; i < 20; i++) {
            assertThat(affinity.order(b, prefix, false).get(0)).isSameAs(home);
        }
        Map<Backend, Integer> spread = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            spread.merge(affinity.order(b, ("prompt " + i).getBytes(StandardCharsets.UTF_8), false).get(0), 1, Integer::sum);
        }
        assertThat(spread.values()).allSatisfy(n -> assertThat(n).isBetween(50, 150));
    }

    @Test
    void prefixAffinityKeysOnTheTenantToo() {
        List<Backend> b = pool(PoolSpec.Balancer.PREFIX_AFFINITY, 1, 1, 1);
        Balancer affinity = Balancer.of(b.get(0).pool(), b);
        byte[] prefix = "[{\"role\":\"system\",\"content\":\"You are a tax assistant\"}".getBytes(StandardCharsets.UTF_8);
        Map<Backend, Integer> homes = new HashMap<>();
        for (int t = 0; t < 12; t++) {
            byte[] key = PrefixAffinity.key("tenant-" + t, prefix);
            Backend home = affinity.order(b, key, false).get(0);
            for (int i = 0; i < 10; i++) { // each tenant's repeats stay on its endpoint
                assertThat(affinity.order(b, PrefixAffinity.key("tenant-" + t, prefix), false).get(0)).isSameAs(home);
            }
            homes.merge(home, 1, Integer::sum);
        }
        assertThat(homes).hasSize(3); // the same prompt of different tenants is not steered onto one endpoint
        assertThat(PrefixAffinity.key("ab", "c".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(PrefixAffinity.key("a", "bc".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void prefixAffinityBoundsTheLoadOfAHotPrefix() {
        List<Backend> b = pool(PoolSpec.Balancer.PREFIX_AFFINITY, 1, 1, 1);
        Balancer affinity = Balancer.of(b.get(0).pool(), b);
        byte[] hot = "hot".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 30; i++) {
            affinity.order(b, hot, true);
        }
        int max = b.stream().mapToInt(Backend::inFlight).max().orElseThrow();
        assertThat(max).isLessThanOrEqualTo((int) Math.ceil(1.25 * 30 / 3)); // 13
        assertThat(b.stream().mapToInt(Backend::inFlight).sum()).isEqualTo(30);
    }

    @Test
    void losingAnEndpointMovesOnlyItsPrefixes() {
        List<Backend> b = pool(PoolSpec.Balancer.PREFIX_AFFINITY, 1, 1, 1, 1);
        Balancer affinity = Balancer.of(b.get(0).pool(), b);
        List<Backend> without3 = b.subList(0, 3);
        int moved = 0;
        for (int i = 0; i < 400; i++) {
            byte[] p = ("conversation " + i).getBytes(StandardCharsets.UTF_8);
            Backend before = affinity.order(b, p, false).get(0);
            Backend after = affinity.order(without3, p, false).get(0);
            if (before != b.get(3) && before != after) {
                moved++;
            }
        }
        assertThat(moved).isZero();
    }
}
