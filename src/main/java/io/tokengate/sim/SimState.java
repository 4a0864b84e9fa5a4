package io.tokengate.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/** State shared by all event loops of one simulator: live settings, counters, the last request. */
final class SimState {

    private final SimulatorSettings initial;
    private final AtomicReference<SimulatorSettings> live;
    private final SimCounters counters = new SimCounters();
    private final long createdEpochSecond = System.currentTimeMillis() / 1000;
    private volatile LastRequest last;

    SimState(SimulatorSettings initial) {
        this.initial = initial;
        this.live = new AtomicReference<>(initial);
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

    long createdEpochSecond() {
        return createdEpochSecond;
    }

    void record(HttpServerRequest request, Buffer body) {
        last = LastRequest.of(request, body);
    }

    LastRequest last() {
        return last;
    }

    /** Zeroes the counters, restores the start settings and forgets the last request. */
    void reset() {
        counters.reset();
        live.set(initial);
        last = null;
    }
}
