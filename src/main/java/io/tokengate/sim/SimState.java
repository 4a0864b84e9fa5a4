package io.tokengate.sim;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * State shared by all event loops of one simulator: live settings, instance-wide faults, readiness (asleep, waking,
 * ready), the prefix cache, counters, the last request.
 */
final class SimState {

    private final SimulatorSettings initial;
    private final AtomicReference<SimulatorSettings> live;
    private final SimCounters counters = new SimCounters();
    private final SimFaults faults = new SimFaults();
    private final PrefixCache prefixCache = new PrefixCache();
    private final SimReadiness readiness;
    private final long createdEpochSecond = System.currentTimeMillis() / 1000;
    private volatile LastRequest last;

    SimState(Vertx vertx, SimulatorSettings initial) {
        this.initial = initial;
        this.live = new AtomicReference<>(initial);
        this.readiness = new SimReadiness(vertx, initial.asleep(), () -> live.get().wakeDelay());
    }

    SimulatorSettings settings() {
        return live.get();
    }

    SimulatorSettings update(UnaryOperator<SimulatorSettings> change) {
        return live.updateAndGet(change);
    }

    SimCounters counters() {
        return counters;
    }

    private final BatchSlots slots = new BatchSlots();

    BatchSlots slots() {
        return slots;
    }

    SimFaults faults() {
        return faults;
    }

    SimReadiness readiness() {
        return readiness;
    }

    /** Counts a wake call and starts waking when asleep. */
    SimReadiness.Phase wake() {
        counters.wake();
        return readiness.wake();
    }

    /** Looks the prompt up in the prefix cache and counts the query. */
    void prefixCacheLookup(byte[] prompt) {
        counters.prefixCacheQuery(prefixCache.lookup(prompt));
    }

    long createdEpochSecond() {
        return createdEpochSecond;
    }

    void record(HttpServerRequest request, Buffer body) {
        last = LastRequest.of(request, body);
    }

    LastRequest last() {
        return last;
    }

    /**
     * Zeroes the counters, restores the start settings (asleep again if it started asleep), turns every
     * instance-wide fault off, empties the prefix cache and forgets the last request.
     */
    void reset() {
        counters.reset();
        live.set(initial);
        faults.reset();
        slots.reset();
        prefixCache.clear();
        if (initial.asleep()) {
            readiness.sleep();
        } else {
            readiness.forceReady();
        }
        last = null;
    }
}
