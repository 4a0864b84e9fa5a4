package io.tokengate.upstream;

import io.tokengate.config.PoolSpec;
import io.vertx.core.Vertx;

/**
 * The timeouts of one upstream attempt, on a single timer, from the moment it starts: a stream's first chunk within
 * {@code first-token}, then at most {@code idle} between chunks, all within {@code total}; a non-streamed answer within
 * {@code non-stream}. While the client applies back-pressure ({@link #pause}) only {@code client-stall} runs: the
 * backend is not to blame for silence the client asked for, and the paused time does not count towards total. On
 * expiry it runs the action (which resets the upstream request) and remembers which limit fired.
 */
final class Watchdog {
    /** The limits, and whose fault it is when one fires. */
    enum Limit {
        FIRST_TOKEN("first token", true), IDLE("idle", true), TOTAL("total", true),
        NON_STREAM("non-stream answer", false), CLIENT_STALL("client stall", false);

        private final String label;
        private final boolean backendsFault;

        Limit(String label, boolean backendsFault) {
            this.label = label;
            this.backendsFault = backendsFault;
        }

        String label() {
            return label;
        }

        /** Whether the backend is to blame (breaker, passive ejection, retry). */
        boolean backendsFault() {
            return backendsFault;
        }
    }

    private final Vertx vertx;
    private final PoolSpec pool;
    private final boolean stream;
    private final Runnable onExpiry;
    private final long startNanos;
    private long lastChunkNanos = -1;
    private long pausedSinceNanos = -1;
    private long pausedNanos;
    private long timerId = -1;
    private boolean stopped;
    private Limit expired;

    Watchdog(Vertx vertx, PoolSpec pool, boolean stream, Runnable onExpiry) {
        this.vertx = vertx;
        this.pool = pool;
        this.stream = stream;
        this.onExpiry = onExpiry;
        this.startNanos = System.nanoTime();
        arm();
    }

    /** A chunk arrived: from now on the idle limit applies. */
    void chunk() {
        lastChunkNanos = System.nanoTime();
    }

    /** The client stopped reading and the upstream is paused: only the client-stall limit runs. */
    void pause() {
        if (pausedSinceNanos < 0 && !stopped) {
            pausedSinceNanos = System.nanoTime();
            cancelTimer();
            arm();
        }
    }

    /** The client reads again: idle restarts now, total resumes where it stopped. */
    void resume() {
        if (pausedSinceNanos >= 0) {
            long now = System.nanoTime();
            pausedNanos += now - pausedSinceNanos;
            pausedSinceNanos = -1;
            lastChunkNanos = now; // the pending timer re-arms for idle and total when it fires
        }
    }

    /** The exchange ended; no limit applies any more. */
    void stop() {
        stopped = true;
        cancelTimer();
    }

    /** Which limit fired, or null. */
    Limit expired() {
        return expired;
    }

    private Limit next() {
        if (pausedSinceNanos >= 0) {
            return Limit.CLIENT_STALL;
        }
        if (!stream) {
            return Limit.NON_STREAM;
        }
        Limit first = lastChunkNanos < 0 ? Limit.FIRST_TOKEN : Limit.IDLE;
        return deadline(first) - deadline(Limit.TOTAL) <= 0 ? first : Limit.TOTAL;
    }

    private long deadline(Limit limit) {
        return switch (limit) {
            case FIRST_TOKEN -> startNanos + pool.firstTokenTimeout().toNanos();
            case IDLE -> lastChunkNanos + pool.idleTimeout().toNanos();
            case TOTAL -> startNanos + pausedNanos + pool.totalTimeout().toNanos();
            case NON_STREAM -> startNanos + pool.nonStreamTimeout().toNanos();
            case CLIENT_STALL -> pausedSinceNanos + pool.clientStallTimeout().toNanos();
        };
    }

    private void arm() {
        long left = deadline(next()) - System.nanoTime();
        timerId = vertx.setTimer(Math.max(1, (left + 999_999) / 1_000_000), id -> check());
    }

    private void cancelTimer() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }

    private void check() {
        timerId = -1;
        if (stopped) {
            return;
        }
        Limit limit = next();
        if (deadline(limit) - System.nanoTime() > 0) {
            arm();
            return;
        }
        expired = limit;
        stopped = true;
        onExpiry.run();
    }
}
