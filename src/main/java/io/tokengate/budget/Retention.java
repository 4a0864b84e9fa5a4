package io.tokengate.budget;

import java.time.Duration;

/** How long limit state outlives its use, the same in both stores. */
final class Retention {
    /** A settled reservation's marker: retries of its settle within this time change nothing. */
    static final long SETTLED_MILLIS = Duration.ofMinutes(10).toMillis();
    /** A budget period's counter is kept this long after the period ends (late settles, inspection). */
    static final long BUDGET_MARGIN_MILLIS = Duration.ofHours(1).toMillis();
    private static final long MIN_LIVE_MILLIS = Duration.ofHours(1).toMillis();

    private Retention() {
    }

    /** A live reservation's record: long enough for any request (renewed by every extend). */
    static long liveMillis(Duration lease) {
        return Math.max(MIN_LIVE_MILLIS, 2 * lease.toMillis());
    }
}
