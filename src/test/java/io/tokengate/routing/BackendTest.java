package io.tokengate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.config.PoolSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Availability of one endpoint: ejection, breaker, active health. */
class BackendTest {
    private final List<Backend> pair = BalancerTest.pool(PoolSpec.Balancer.LEAST_IN_FLIGHT, 1, 1);
    private final Backend b = pair.get(0);

    @Test
    void consecutiveFailuresEjectAndASuccessResetsTheCount() {
        b.failed();
        b.failed();
        b.succeeded();
        b.failed();
        b.failed();
        assertThat(b.available(System.nanoTime())).isTrue();
        b.failed();
        assertThat(b.available(System.nanoTime())).isFalse();
        assertThat(b.nanosUntilAvailable(System.nanoTime())).isGreaterThan(9_000_000_000L);
    }

    @Test
    void passiveEjectionNeverTakesOutMoreThanHalfThePool() {
        for (int i = 0; i < 3; i++) {
            b.failed();
        }
        assertThat(b.ejected(System.nanoTime())).as("1 of 2 is 50%: allowed").isTrue();
        for (int i = 0; i < 3; i++) {
            pair.get(1).failed();
        }
        assertThat(pair.get(1).ejected(System.nanoTime())).as("the second of two would be 100%").isFalse();
        Backend only = BalancerTest.pool(PoolSpec.Balancer.LEAST_IN_FLIGHT, 1).get(0);
        for (int i = 0; i < 9; i++) {
            only.failed();
        }
        assertThat(only.available(System.nanoTime())).as("a pool's only endpoint is never ejected for failures").isTrue();
    }

    @Test
    void a429TakesItOutForRetryAfterBoundedByConfiguration() {
        b.overloaded(2);
        long now = System.nanoTime();
        assertThat(b.available(now)).isFalse();
        assertThat(b.available(now + 2_100_000_000L)).isTrue();
        b.overloaded(3600);
        assertThat(b.available(System.nanoTime() + 61_000_000_000L)).isTrue(); // max-retry-after 60s
    }

    @Test
    void anOpenBreakerIsUnavailableUntilItsDelayThenLetsAProbeThrough() {
        b.breaker(Backend.BreakerState.OPEN);
        long now = System.nanoTime();
        assertThat(b.available(now)).isFalse();
        assertThat(b.available(now + 5_100_000_000L)).isTrue();
    }

    @Test
    void aFailedProbeWhileRealTrafficSucceedsDoesNotTakeItOut() {
        assertThat(b.probe(true)).isTrue();
        b.succeeded();
        b.probe(false);
        b.probe(false);
        assertThat(b.healthy()).as("traffic succeeded within the probe interval").isTrue();
    }

    @Test
    void healthThresholdsApplyAfterTheFirstVerdict() {
        assertThat(b.healthy()).isTrue();
        assertThat(b.probe(false)).isTrue(); // first verdict counts at once
        assertThat(b.healthy()).isFalse();
        assertThat(b.probe(true)).isTrue(); // healthy-threshold 1
        assertThat(b.probe(false)).isFalse(); // unhealthy-threshold 2
        assertThat(b.healthy()).isTrue();
        assertThat(b.probe(false)).isTrue();
        assertThat(b.healthy()).isFalse();
        assertThat(List.of(b.available(System.nanoTime()))).containsExactly(false);
    }
}
