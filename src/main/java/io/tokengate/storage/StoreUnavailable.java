package io.tokengate.storage;

/**
 * The backing store (Redis, or whatever holds tenants, limits and the ledger) cannot be reached: a failed
 * {@code Uni} of any store call carries it, and each caller decides what that means (refuse, or allow by policy).
 */
public final class StoreUnavailable extends RuntimeException {
    public StoreUnavailable(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
