package io.tokengate.budget;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code tokengate.budget.remaining.ratio{tenant}} (Prometheus {@code tokengate_budget_remaining_ratio}): the share
 * (0..1) left of the tenant's tightest token budget in its current period, as the limit store last answered for
 * a request of that tenant. "Tightest" is across all the scopes of that request (tenant, key, tenant × model): the
 * budget with the least share left, so a key or model budget nearly spent shows too, even when the tenant's own
 * budget has plenty. Set on every reserve and extend the store answers (granted or refused) whose scopes have a
 * budget; a settle's give-back shows with the tenant's next request. A tenant's gauge appears with its first
 * budgeted request and then stays (one series per tenant).
 */
final class BudgetGauges {
    static final String NAME = "tokengate.budget.remaining.ratio";

    private final MeterRegistry meters;
    /** Tenant to the ratio's double bits. */
    private final ConcurrentMap<String, AtomicLong> ratios = new ConcurrentHashMap<>();

    BudgetGauges(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Records the decision's budget state for {@code tenant}; a decision without one changes nothing. */
    void record(String tenant, LimitDecision decision) {
        if (decision == null || decision.budget() == null || tenant == null) {
            return;
        }
        double ratio = decision.budget().remainingRatio();
        ratios.computeIfAbsent(tenant, this::register).set(Double.doubleToRawLongBits(ratio));
    }

    /** The tenant's last recorded ratio, or NaN when none was. */
    double ratio(String tenant) {
        AtomicLong bits = ratios.get(tenant);
        return bits == null ? Double.NaN : Double.longBitsToDouble(bits.get());
    }

    private AtomicLong register(String tenant) {
        AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));
        Gauge.builder(NAME, bits, b -> Double.longBitsToDouble(b.get()))
                .description("Share (0..1) left of the tenant's tightest token budget in its current period")
                .tag("tenant", tenant).strongReference(true).register(meters);
        return bits;
    }
}
