package io.tokengate.budget;

import io.tokengate.tenant.Limits.Period;
import java.time.LocalDate;

/**
 * The budget period containing an instant: its id ({@code yyyymmdd} for a UTC day, {@code yyyymm} for a UTC
 * month, {@code total}) and when it ends ({@link Long#MAX_VALUE} for total). The same calendar runs in
 * {@code limits.lua} on the Redis server's clock.
 */
record BudgetPeriod(String id, long endMillis) {
    static final long DAY_MILLIS = 86_400_000;
    static final String TOTAL = "total";

    static BudgetPeriod of(Period period, long nowMillis) {
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(nowMillis, DAY_MILLIS));
        return switch (period) {
            case DAY -> new BudgetPeriod(String.format("%04d%02d%02d", date.getYear(), date.getMonthValue(),
                    date.getDayOfMonth()), (date.toEpochDay() + 1) * DAY_MILLIS);
            case MONTH -> new BudgetPeriod(String.format("%04d%02d", date.getYear(), date.getMonthValue()),
                    date.withDayOfMonth(1).plusMonths(1).toEpochDay() * DAY_MILLIS);
            case TOTAL -> new BudgetPeriod(TOTAL, Long.MAX_VALUE);
        };
    }

    /** Retry-After of an exhausted budget: until the next period starts; a day for a total budget. */
    long retryAfter(long nowMillis) {
        return endMillis == Long.MAX_VALUE ? DAY_MILLIS : endMillis - nowMillis;
    }

    /** The one-letter code of a period, as the Lua scripts and reservation records name it. */
    static String code(Period period) {
        return switch (period) {
            case DAY -> "d";
            case MONTH -> "m";
            case TOTAL -> "t";
        };
    }
}
