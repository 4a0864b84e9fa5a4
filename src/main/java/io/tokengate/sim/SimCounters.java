package io.tokengate.sim;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters shared by all event loops of one simulator. {@code in_flight} is a gauge of exchanges not yet ended and is
 * not zeroed by a reset (requests in flight still end later).
 */
final class SimCounters {

    private final LongAdder requests = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder aborted = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder streamedTokens = new LongAdder();
    private final LongAdder wakes = new LongAdder();
    private final LongAdder healthChecks = new LongAdder();
    private final LongAdder prefixCacheQueries = new LongAdder();
    private final LongAdder prefixCacheHits = new LongAdder();
    private final LongAdder prefixCacheHitBlocks = new LongAdder();
    private final AtomicLong inFlight = new AtomicLong();

    void request() {
        requests.increment();
    }

    void completed() {
        completed.increment();
    }

    void aborted() {
        aborted.increment();
    }

    void error() {
        errors.increment();
    }

    void streamedToken() {
        streamedTokens.increment();
    }

    void wake() {
        wakes.increment();
    }

    void healthCheck() {
        healthChecks.increment();
    }

    /** One prefix-cache lookup that found {@code hitBlocks} leading blocks cached (a hit when at least one). */
    void prefixCacheQuery(int hitBlocks) {
        prefixCacheQueries.increment();
        if (hitBlocks > 0) {
            prefixCacheHits.increment();
            prefixCacheHitBlocks.add(hitBlocks);
        }
    }

    void started() {
        inFlight.incrementAndGet();
    }

    void ended() {
        inFlight.decrementAndGet();
    }

    long requests() {
        return requests.sum();
    }

    long streamedTokens() {
        return streamedTokens.sum();
    }

    long wakes() {
        return wakes.sum();
    }

    long healthChecks() {
        return healthChecks.sum();
    }

    long prefixCacheQueries() {
        return prefixCacheQueries.sum();
    }

    long prefixCacheHits() {
        return prefixCacheHits.sum();
    }

    long prefixCacheHitBlocks() {
        return prefixCacheHitBlocks.sum();
    }

    long inFlight() {
        return inFlight.get();
    }

    SimulatorStats snapshot() {
        return new SimulatorStats(requests.sum(), completed.sum(), aborted.sum(), errors.sum());
    }

    /** Zeroes every counter; {@code in_flight} stays, it is a gauge. */
    void reset() {
        requests.reset();
        completed.reset();
        aborted.reset();
        errors.reset();
        streamedTokens.reset();
        wakes.reset();
        healthChecks.reset();
        prefixCacheQueries.reset();
        prefixCacheHits.reset();
        prefixCacheHitBlocks.reset();
    }

    String toJson() {
        SimulatorStats s = snapshot();
        return "{\"requests\":" + s.requests() + ",\"completed\":" + s.completed() + ",\"aborted\":" + s.aborted()
                + ",\"errors\":" + s.errors() + ",\"streamed_tokens\":" + streamedTokens.sum()
                + ",\"in_flight\":" + inFlight.get() + ",\"wakes\":" + wakes.sum()
                + ",\"health_checks\":" + healthChecks.sum()
                + ",\"prefix_cache_queries\":" + prefixCacheQueries.sum()
                + ",\"prefix_cache_hits\":" + prefixCacheHits.sum()
                + ",\"prefix_cache_hit_blocks\":" + prefixCacheHitBlocks.sum() + "}";
    }
}
