package io.tokengate.budget;

import io.tokengate.tenant.Limits.Period;

/**
 * What the in-memory store remembers of one reservation (the Redis record {@code tg:{t:<tenant>}:res:<id>}
 * holds the same): tokens reserved so far, the budget periods they were charged to, whether it is settled, and
 * until when it is kept. A period id of {@code "-"} means the reservation crossed into a new period while
 * extending, so settle gives nothing back to that period's budget. Guarded by the store.
 */
final class Hold {
    static final String CROSSED = "-";

    long reserved;
    long expiresAt;
    final boolean settled;
    private String day;
    private String month;

    private Hold(long reserved, String day, String month, boolean settled, long expiresAt) {
        this.reserved = reserved;
        this.day = day;
        this.month = month;
        this.settled = settled;
        this.expiresAt = expiresAt;
    }

    static Hold live(long reserved, long now, long expiresAt) {
        return new Hold(reserved, BudgetPeriod.of(Period.DAY, now).id(), BudgetPeriod.of(Period.MONTH, now).id(),
                false, expiresAt);
    }

    static Hold settled(long expiresAt) {
        return new Hold(0, CROSSED, CROSSED, true, expiresAt);
    }

    /** The id of the {@code period} this reservation's tokens were charged to. */
    String periodId(Period period) {
        return switch (period) {
            case DAY -> day;
            case MONTH -> month;
            case TOTAL -> BudgetPeriod.TOTAL;
        };
    }

    /** Marks the {@code period} crossed when tokens were just charged to another period than the reserved one. */
    void charged(Period period, String periodId) {
        if (!periodId.equals(periodId(period))) {
            switch (period) {
                case DAY -> day = CROSSED;
                case MONTH -> month = CROSSED;
                case TOTAL -> { }
            }
        }
    }
}
