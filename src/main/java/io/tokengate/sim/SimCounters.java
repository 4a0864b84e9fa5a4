package io.tokengate.sim;

import java.util.concurrent.atomic.LongAdder;

/** Counters shared by all event loops of one simulator. */
final class SimCounters {

    private final LongAdder requests = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder aborted = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder streamedTokens = new LongAdder();

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

    long streamedTokens() {
        return streamedTokens.sum();
    }

    SimulatorStats snapshot() {
        return new SimulatorStats(requests.sum(), completed.sum(), aborted.sum(), errors.sum());
    }

    void reset() {
        requests.reset();
        completed.reset();
        aborted.reset();
        errors.reset();
        streamedTokens.reset();
    }

    String toJson() {
        SimulatorStats s = snapshot();
        return "{\"requests\":" + s.requests() + ",\"completed\":" + s.completed() + ",\"aborted\":" + s.aborted()
                + ",\"errors\":" + s.errors() + ",\"streamed_tokens\":" + streamedTokens.sum() + "}";
    }
}
