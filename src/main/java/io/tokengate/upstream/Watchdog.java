package io.tokengate.upstream;

import io.vertx.core.Vertx;

/**
 * The timeouts of one upstream attempt after its first byte, on a single timer: idle between chunks once chunks
 * flow, always bounded by total. (The time to the first byte is the endpoint guard's timeout, see
 * {@link EndpointGuards}.) On expiry it runs the action (which resets the upstream request) and remembers which
 * limit fired.
 */
public final class Watchdog {
    private final Vertx vertx;
    private final long startNanos;
    private final long idleNanos;
    private final long totalNanos;
    private final Runnable onExpiry;
    private long lastChunkNanos = -1;
    private long timerId = -1;
    private String expired;

    Watchdog(Vertx vertx, long idleNanos, long totalNanos, Runnable onExpiry) {
        this.vertx = vertx;
        this.startNanos = System.nanoTime();
        this.idleNanos = idleNanos;
        this.totalNanos = totalNanos;
        this.onExpiry = onExpiry;
        arm(totalNanos);
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

    /** Which limit fired ({@code "idle"}, {@code "total"}), or null. */
    public String expired() {
        return expired;
    }

    private void arm(long inNanos) {
        timerId = vertx.setTimer(Math.max(1, inNanos / 1_000_000), id -> check());
    }

    private void check() {
        long now = System.nanoTime();
        long totalLeft = startNanos + totalNanos - now;
        long left = lastChunkNanos < 0 ? totalLeft : Math.min(totalLeft, lastChunkNanos + idleNanos - now);
        if (left > 0) {
            arm(left);
            return;
        }
        timerId = -1;
        expired = totalLeft <= 0 ? "total" : "idle";
        onExpiry.run();
    }
}
