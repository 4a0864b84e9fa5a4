package io.tokengate.sim;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Asleep / waking / ready, like a backend scaled to zero: a wake call starts waking, and the simulator is ready once
 * the wake delay has passed. Shared by all event loops; transitions hold the lock, reads do not.
 */
final class SimReadiness {

    enum Phase {
        ASLEEP, WAKING, READY;

        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Vertx vertx;
    private final Supplier<Duration> wakeDelay;
    private volatile Phase phase;
    /** Bumped by every sleep, reset and wake start, so that a stale wake timer changes nothing. */
    private long epoch;
    private long timerId = -1;

    SimReadiness(Vertx vertx, boolean asleep, Supplier<Duration> wakeDelay) {
        this.vertx = vertx;
        this.wakeDelay = wakeDelay;
        this.phase = asleep ? Phase.ASLEEP : Phase.READY;
    }

    Phase phase() {
        return phase;
    }

    boolean ready() {
        return phase == Phase.READY;
    }

    /** Falls asleep at once (a wake in progress is forgotten). */
    synchronized void sleep() {
        set(Phase.ASLEEP);
    }

    /** Ready at once (a wake in progress is forgotten). */
    synchronized void forceReady() {
        set(Phase.READY);
    }

    /** Starts waking when asleep; does nothing when already waking or ready. Returns the phase after the call. */
    synchronized Phase wake() {
        if (phase != Phase.ASLEEP) {
            return phase;
        }
        long delay = wakeDelay.get().toMillis();
        if (delay <= 0) {
            set(Phase.READY);
            return phase;
        }
        set(Phase.WAKING);
        long expected = epoch;
        timerId = vertx.setTimer(delay, id -> woke(expected));
        return phase;
    }

    private synchronized void woke(long expected) {
        if (epoch == expected && phase == Phase.WAKING) {
            timerId = -1;
            phase = Phase.READY;
        }
    }

    private void set(Phase next) {
        epoch++;
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
        phase = next;
    }
}
