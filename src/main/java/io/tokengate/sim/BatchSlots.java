package io.tokengate.sim;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;

/**
 * A bounded batch, like vLLM's {@code max-num-seqs}: at most {@code max} generations run at once; the rest wait
 * in arrival order. A generation holds its slot for its planned duration (time to first token plus one
 * inter-token latency per token) or until its caller goes away. 0 means unbounded.
 */
final class BatchSlots {
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int max;
    private int busy;

    synchronized void max(int max) {
        this.max = Math.max(0, max);
    }

    synchronized int max() {
        return max;
    }

    /** Runs {@code start} now or once a slot frees, on the caller's context; the slot is held {@code holdMs}. */
    void submit(Vertx vertx, long holdMs, Runnable start) {
        Context context = Vertx.currentContext();
        Runnable begin = () -> {
            start.run();
            vertx.setTimer(Math.max(1, holdMs), id -> release());
        };
        synchronized (this) {
            if (max > 0 && busy >= max) {
                waiting.add(() -> context.runOnContext(v -> begin.run()));
                return;
            }
            busy++;
        }
        begin.run();
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                busy--;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    synchronized void reset() {
        max = 0;
    }
}
