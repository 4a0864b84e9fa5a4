package io.tokengate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.config.PoolSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private static final PoolSpec.Retry POLICY = new PoolSpec.Retry(2, Duration.ofMillis(20), Duration.ofMillis(500), 0.2, 2);

    @Test
    void retriesStayWithinTheRatioPlusThePerSecondFloor() {
        RetryBudget budget = new RetryBudget(POLICY);
        long now = 5_000_000_000L;
        for (int i = 0; i < 100; i++) {
            budget.deposit();
        }
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            if (budget.withdraw(now)) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(2 + 20); // floor of 2 this second, then 20% of 100 requests
        assertThat(budget.withdraw(now + 1_000_000_000L)).as("a new second renews the floor").isTrue();
    }

    @Test
    void backoffIsJitteredAndCapped() {
        for (int i = 0; i < 200; i++) {
            assertThat(UpstreamDispatcher.backoffMillis(POLICY, 0)).isBetween(0L, 20L);
            assertThat(UpstreamDispatcher.backoffMillis(POLICY, 3)).isBetween(0L, 160L);
            assertThat(UpstreamDispatcher.backoffMillis(POLICY, 10)).isBetween(0L, 500L);
        }
    }
}
