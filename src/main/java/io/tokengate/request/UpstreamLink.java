package io.tokengate.request;

/**
 * The relay's handle on the live exchange with the backend that answered: its timers, its fault accounting and its
 * in-flight slot. Implemented by dispatch; the relay never sees how.
 */
public interface UpstreamLink {

    /** A chunk arrived: restarts the idle timer. */
    void chunkArrived();

    /**
     * The client stopped reading and the relay paused the upstream: the backend's timers (idle, total) stop and the
     * client-stall timer starts; its expiry cancels the upstream request and is the client's fault.
     */
    void clientPaused();

    /** The client reads again: the backend's timers run again (idle from now). */
    void clientResumed();

    /** The exchange is over: stops the timers. */
    void stopTimers();

    /** Which of the backend's timeouts fired ({@code idle}, {@code total}), or null. */
    String expired();

    /** True when the client-stall timeout fired: the exchange ended by the client's fault. */
    boolean clientStalled();

    /** The stream broke after it started: counts against the endpoint (passive ejection). */
    void broke();

    /** Stops upstream work at once (client gone, budget spent): resets the request. */
    void cancel();

    /** Gives back the endpoint's in-flight slot. Idempotent. */
    void release();
}
