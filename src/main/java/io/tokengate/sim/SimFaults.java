package io.tokengate.sim;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Instance-wide faults, set through {@code PUT /sim/config} or the {@link Simulator} methods and shared by all event
 * loops; all off at start and after a reset. Unlike the per-request {@code "sim"} body field, they hit requests that
 * carry no instructions (the gateway's own traffic).
 */
final class SimFaults {

    /** An answer to fail with: the HTTP status and, when not negative, the {@code Retry-After} seconds. */
    record Failure(int status, int retryAfter) {
    }

    private final AtomicInteger failNext = new AtomicInteger();
    private volatile Failure nextFailure = new Failure(500, -1);
    private volatile Failure always;
    private volatile boolean hangAll;
    private volatile boolean failHealth;
    private volatile int cutAll = -1;

    /** Fails the next {@code n} {@code /v1} POSTs (0 cancels); replaces any countdown still running. */
    void failNext(int n, int status, int retryAfter) {
        requireCount(n);
        requireStatus(status);
        nextFailure = new Failure(status, Math.max(-1, retryAfter));
        failNext.set(n);
    }

    /** Takes one failure of the {@code fail_next} countdown, or null when it is over. */
    Failure takeNext() {
        while (true) {
            int n = failNext.get();
            if (n <= 0) {
                return null;
            }
            if (failNext.compareAndSet(n, n - 1)) {
                return nextFailure;
            }
        }
    }

    int failNextRemaining() {
        return Math.max(0, failNext.get());
    }

    Failure nextFailure() {
        return nextFailure;
    }

    /** Fails every {@code /v1} request with {@code status}; 0 stops. */
    void failAll(int status, int retryAfter) {
        if (status == 0) {
            always = null;
            return;
        }
        requireStatus(status);
        always = new Failure(status, Math.max(-1, retryAfter));
    }

    /** The persistent failure, or null when off. */
    Failure always() {
        return always;
    }

    void hangAll(boolean hang) {
        hangAll = hang;
    }

    boolean hangAll() {
        return hangAll;
    }

    void failHealth(boolean fail) {
        failHealth = fail;
    }

    boolean failHealth() {
        return failHealth;
    }

    /** Every stream (and non-streamed answer) is cut after {@code chunks} content chunks; -1 stops. */
    void cutAll(int chunks) {
        cutAll = Math.max(-1, chunks);
    }

    int cutAll() {
        return cutAll;
    }

    void reset() {
        cutAll = -1;
        failNext.set(0);
        nextFailure = new Failure(500, -1);
        always = null;
        hangAll = false;
        failHealth = false;
    }

    static void requireStatus(int status) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("fail status must be within [200, 599]: " + status);
        }
    }

    static void requireCount(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("fail_next must be >= 0: " + n);
        }
    }
}
