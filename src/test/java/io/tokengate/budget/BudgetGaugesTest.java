package io.tokengate.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The budget gauge: one series per tenant, set from each decision that has a budget, exported as Prometheus names it. */
class BudgetGaugesTest {
    final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final BudgetGauges gauges = new BudgetGauges(meters);

    static LimitDecision withBudget(long limit, long remaining) {
        return new LimitDecision(true, null, null, 0, null, null, new RateLimitState(limit, remaining, -1));
    }

    @Test
    void followsTheLatestDecisionPerTenant() {
        gauges.record("acme", withBudget(1000, 250));
        gauges.record("globex", withBudget(200, 200));
        gauges.record("acme", withBudget(1000, 50));
        gauges.record("acme", new LimitDecision(true, null, null, 0, null, null, null)); // no budget: unchanged
        gauges.record("initech", LimitDecision.UNLIMITED);

        Gauge acme = meters.get(BudgetGauges.NAME).tag("tenant", "acme").gauge();
        assertThat(acme.value()).isEqualTo(0.05);
        assertThat(acme.getId().getBaseUnit()).isNull();
        assertThat(meters.get(BudgetGauges.NAME).tag("tenant", "globex").gauge().value()).isEqualTo(1.0);
        assertThat(meters.find(BudgetGauges.NAME).gauges()).hasSize(2);
        assertThat(meters.scrape()).contains("tokengate_budget_remaining_ratio{tenant=\"acme\",} 0.05")
                .contains("# TYPE tokengate_budget_remaining_ratio gauge");
    }

    @Test
    void aSpentOrZeroBudgetIsZeroAndOverdrawnIsClamped() {
        gauges.record("acme", withBudget(0, 0));
        assertThat(gauges.ratio("acme")).isZero();
        gauges.record("acme", withBudget(100, 0));
        assertThat(gauges.ratio("acme")).isZero();
        assertThat(new RateLimitState(100, 150, 0).remainingRatio()).isEqualTo(1.0);
        assertThat(gauges.ratio("nobody")).isNaN();
    }
}
