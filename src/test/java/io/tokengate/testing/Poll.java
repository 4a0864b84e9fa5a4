package io.tokengate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Waits for observable state instead of sleeping: probes until the state is reached or a generous deadline passes,
 * then fails naming what was awaited and the last value seen. A test that polls passes as soon as the behaviour
 * shows, and fails (never passes) when it does not.
 */
public final class Poll {
    private static final long INTERVAL_MILLIS = 50;

    private Poll() {}

    /** Probes {@code probe} until {@code done} holds for its value; returns that value. */
    public static <T> T until(String what, Duration within, Callable<T> probe, Predicate<? super T> done) {
        long deadline = System.nanoTime() + within.toNanos();
        T last = null;
        while (true) {
            last = call(probe);
            if (done.test(last) || System.nanoTime() > deadline) {
                break;
            }
            pause();
        }
        assertThat(done.test(last)).as(what + " within " + within + " (last seen: " + last + ")").isTrue();
        return last;
    }

    /** Probes until {@code condition} holds. */
    public static void until(String what, Duration within, Callable<Boolean> condition) {
        until(what, within, condition, Boolean.TRUE::equals);
    }

    private static <T> T call(Callable<T> probe) {
        try {
            return probe.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(INTERVAL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
