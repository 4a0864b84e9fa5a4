package io.tokengate.request;

/**
 * The relay's handle on the live exchange with the backend that answered: its timers, its fault accounting and its
 * in-flight slot. Implemented by dispatch; the relay never sees how.
 */
public interface UpstreamLink {

    /** A chunk arrived: restarts the idle timer. */
    void chunkArrived();

    /** The exchange is over: stops the timers. */
    void stopTimers();

    /** Which timeout fired ({@code idle}, {@code total}), or null. */
    String expired();

    /** The stream broke after it started: counts against the endpoint (passive ejection). */
    void broke();

    /** Stops upstream work at once (client gone, budget spent): resets the request. */
    void cancel();

    /** Gives back the endpoint's in-flight slot. Idempotent. */
    void release();
}
