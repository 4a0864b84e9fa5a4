package io.tokengate.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.tenant.Limits.Period;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The limit store contract against memory on a fake clock, plus budget periods rolling over at UTC midnight. */
class InMemoryLimitStoreTest extends LimitStoreContract {
    static final Instant NOON = Instant.parse("2025-06-15T12:00:00Z");

    final AtomicLong clock = new AtomicLong(NOON.toEpochMilli());

    @Override
    LimitStore newStore() {
        return new InMemoryLimitStore(LEASE, clock::get);
    }

    @Override
    LimitStore replica() {
        return store;
    }

    @Override
    void elapse(Duration duration) {
        clock.addAndGet(duration.toMillis());
    }

    @Override
    long now() {
        return clock.get();
    }

    @Test
    void dayAndMonthBudgetsStartAfreshAtUtcMidnight() {
        clock.set(Instant.parse("2025-03-31T23:59:59.500Z").toEpochMilli());
        LimitScope daily = tenant(budget(100, Period.DAY));
        LimitScope monthly = key(budget(100, Period.MONTH));
        assertThat(reserve(id(), 100, daily, monthly).granted()).isTrue();
        LimitDecision spent = reserve(id(), 1, daily);
        assertThat(spent.reason()).isEqualTo(DenialReason.BUDGET);
        assertThat(spent.retryAfterMillis()).isEqualTo(500);

        elapse(Duration.ofMillis(500));
        assertThat(reserve(id(), 100, daily, monthly).granted()).isTrue();
        assertThat(reserve(id(), 1, monthly).retryAfterMillis()).isEqualTo(Duration.ofDays(30).toMillis());
    }

    @Test
    void aReservationCrossingMidnightGivesNothingBackToTheNewDay() {
        clock.set(Instant.parse("2025-06-15T23:59:59.500Z").toEpochMilli());
        LimitScope daily = tenant(budget(100, Period.DAY));
        String first = id();
        reserve(first, 60, daily);
        elapse(Duration.ofSeconds(1));
        assertThat(extend(first, 30, daily).granted()).isTrue();

        settle(first, 90, 0, daily);
        assertThat(reserve(id(), 70, daily).granted()).isTrue();
        assertThat(reserve(id(), 1, daily).granted()).isFalse();
    }

    @Test
    void settledMarkersExpireWithTheirRetention() {
        LimitScope tenant = tenant(budget(100, Period.DAY));
        String first = id();
        reserve(first, 100, tenant);
        settle(first, 100, 100, tenant);

        elapse(Duration.ofDays(1).plusHours(2));
        assertThat(reserve(first, 10, tenant).granted()).isTrue();
    }
}
