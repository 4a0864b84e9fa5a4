package io.tokengate.upstream;

import io.vertx.core.Vertx;

/**
 * The timeouts of one upstream attempt on a single timer: first token (streams) or total (plain responses)
 * until the first chunk, then idle-between-chunks, always bounded by total. On expiry it runs the action
 * (which resets the upstream request) and remembers which limit fired.
 */
public final class Watchdog {
    private final Vertx vertx;
    private final long startNanos;
    private final long firstTokenNanos;
    private final long idleNanos;
    private final long totalNanos;
    private final Runnable onExpiry;
    private long lastChunkNanos = -1;
    private long timerId = -1;
    private String expired;

    Watchdog(Vertx vertx, long firstTokenNanos, long idleNanos, long totalNanos, Runnable onExpiry) {
        this.vertx = vertx;
        this.startNanos = System.nanoTime();
        this.firstTokenNanos = firstTokenNanos;
        this.idleNanos = idleNanos;
        this.totalNanos = totalNanos;
        this.onExpiry = onExpiry;
        arm(firstTokenNanos);
    }

    /** A chunk arrived: from now on the idle limit applies. */
    public void chunk() {
        lastChunkNanos = System.nanoTime();
    }

    /** The exchange ended; no limit applies any more. */
    public void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }

    /** Which limit fired ({@code "first token"}, {@code "idle"}, {@code "total"}), or null. */
    public String expired() {
        return expired;
    }

    private void arm(long inNanos) {
        timerId = vertx.setTimer(Math.max(1, inNanos / 1_000_000), id -> check());
    }

    private void check() {
        long now = System.nanoTime();
        long totalLeft = startNanos + totalNanos - now;
        long phaseLeft = lastChunkNanos < 0 ? startNanos + firstTokenNanos - now : lastChunkNanos + idleNanos - now;
        long left = Math.min(totalLeft, phaseLeft);
        if (left > 0) {
            arm(left);
            return;
        }
        timerId = -1;
        expired = totalLeft <= 0 ? "total" : lastChunkNanos < 0 ? "first token" : "idle";
        onExpiry.run();
    }
}
