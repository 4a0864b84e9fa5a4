package io.tokengate.routing;

import io.tokengate.config.EndpointSpec;
import io.tokengate.config.PoolSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live state of one endpoint on this replica: requests in flight, circuit breaker state (set by the
 * endpoint's guard), active health (set by the prober), and passive ejection (consecutive failures, or a backend
 * 429 with {@code Retry-After}). Routing takes an endpoint only while {@link #available} says so.
 */
public final class Backend {
    /** The breaker states routing cares about. */
    public enum BreakerState {
        CLOSED, HALF_OPEN, OPEN
    }

    private final PoolSpec pool;
    private final EndpointSpec endpoint;
    private final int index;
    private final RoutingMetrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong ejectedUntilNanos = new AtomicLong(System.nanoTime()); // in the past: not ejected
    private volatile BreakerState breaker = BreakerState.CLOSED;
    private volatile long breakerOpenedNanos;
    private volatile Boolean healthy; // null: not probed yet (taken as healthy)
    private volatile long lastSuccessNanos = System.nanoTime() - (1L << 62);
    private int probeStreak; // prober thread only: >0 successes in a row, <0 failures in a row
    private List<Backend> siblings = List.of(this); // the pool's endpoints, this one included

    Backend(PoolSpec pool, EndpointSpec endpoint, int index, RoutingMetrics metrics) {
        this.pool = pool;
        this.endpoint = endpoint;
        this.index = index;
        this.metrics = metrics;
    }

    void siblings(List<Backend> all) {
        this.siblings = all;
    }

    public PoolSpec pool() {
        return pool;
    }

    public EndpointSpec endpoint() {
        return endpoint;
    }

    /** Position of the endpoint in its pool. */
    int index() {
        return index;
    }

    public int inFlight() {
        return inFlight.get();
    }

    public BreakerState breaker() {
        return breaker;
    }

    /** True unless the prober has seen it fail; not yet probed counts as healthy. */
    public boolean healthy() {
        return healthy == null || healthy;
    }

    /** Whether the prober has judged this endpoint at least once. */
    public boolean probed() {
        return healthy != null;
    }

    public boolean ejected(long nowNanos) {
        return nowNanos - ejectedUntilNanos.get() < 0;
    }

    /**
     * Routing may send a request here: healthy, not ejected, and its breaker not open (an open breaker whose delay
     * has passed counts as available, so the breaker can let a probe through and go half-open).
     */
    public boolean available(long nowNanos) {
        return healthy() && !ejected(nowNanos) && (breaker != BreakerState.OPEN
                || nowNanos - breakerOpenedNanos >= pool.breaker().delay().toNanos());
    }

    /** Nanoseconds until this endpoint may be available again without a probe (0 if it may be now). */
    long nanosUntilAvailable(long nowNanos) {
        long wait = 0;
        if (ejected(nowNanos)) {
            wait = ejectedUntilNanos.get() - nowNanos;
        }
        if (breaker == BreakerState.OPEN) {
            wait = Math.max(wait, breakerOpenedNanos + pool.breaker().delay().toNanos() - nowNanos);
        }
        if (!healthy()) {
            wait = Math.max(wait, pool.health().interval().toNanos());
        }
        return Math.max(0, wait);
    }

    public void acquire() {
        inFlight.incrementAndGet();
    }

    /** Takes an in-flight slot only while fewer than {@code limit} are taken (atomic across event loops). */
    boolean tryAcquire(int limit) {
        int current;
        while ((current = inFlight.get()) < limit) {
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
        return false;
    }

    public void release() {
        inFlight.decrementAndGet();
    }

    /** A request got a good answer here. */
    public void succeeded() {
        consecutiveFailures.set(0);
        lastSuccessNanos = System.nanoTime();
    }

    /**
     * A request failed here (5xx, connection error, timeout, broken stream): passive ejection counts it. An
     * endpoint is not ejected when that would take out more than {@code ejection.max-ejected-percent} of its pool
     * (so a pool's only endpoint is never ejected this way: its breaker and health checks still apply).
     */
    public void failed() {
        if (consecutiveFailures.incrementAndGet() >= pool.ejection().consecutiveFailures()) {
            consecutiveFailures.set(0);
            long now = System.nanoTime();
            long ejected = siblings.stream().filter(b -> b != this && b.ejected(now)).count();
            if ((ejected + 1) * 100 <= (long) pool.ejection().maxEjectedPercent() * siblings.size()) {
                ejectFor(pool.ejection().duration(), "consecutive_failures");
            }
        }
    }


    /** The backend answered 429: out of rotation for its {@code Retry-After} (bounded by configuration). */
    public void overloaded(long retryAfterSeconds) {
        Duration max = pool.ejection().maxRetryAfter();
        Duration wait = Duration.ofSeconds(Math.max(1, retryAfterSeconds));
        ejectFor(wait.compareTo(max) > 0 ? max : wait, "rate_limited");
    }

    private void ejectFor(Duration duration, String reason) {
        ejectedUntilNanos.set(System.nanoTime() + duration.toNanos());
        metrics.ejected(this, reason);
    }

    /** Called by the endpoint's circuit breaker on each state change. */
    public void breaker(BreakerState state) {
        if (state == BreakerState.OPEN) {
            breakerOpenedNanos = System.nanoTime();
        }
        BreakerState before = breaker;
        breaker = state;
        if (before != state) {
            metrics.breakerTransition(this, state);
        }
    }

    /**
     * One active probe's result; applies the healthy/unhealthy thresholds. Returns true when health changed. A
     * failed probe while real requests succeeded here within the last probe interval counts as a success: the
     * probe (e.g. timed out on a saturated machine) is wrong, not the backend that is answering traffic.
     */
    public boolean probe(boolean ok) {
        if (!ok && healthy() && System.nanoTime() - lastSuccessNanos < pool.health().interval().toNanos()) {
            ok = true;
        }
        probeStreak = ok ? Math.max(1, probeStreak + 1) : Math.min(-1, probeStreak - 1);
        Boolean before = healthy;
        if (before == null) {
            healthy = ok; // first verdict: trust it at once
        } else if (before && probeStreak <= -pool.health().unhealthyThreshold()) {
            healthy = false;
            metrics.ejected(this, "health_check");
        } else if (!before && probeStreak >= pool.health().healthyThreshold()) {
            healthy = true;
            consecutiveFailures.set(0);
            ejectedUntilNanos.set(System.nanoTime());
        }
        return before != healthy;
    }

    @Override
    public String toString() {
        return endpoint.id().toString();
    }
}
