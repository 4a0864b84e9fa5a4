package io.tokengate.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One streamed completion as server-sent events: the chat role chunk and the first token after the time to first
 * token, then one token per inter-token latency (Vert.x timers against absolute deadlines; with no latency, all
 * chunks in one tick as separate writes), the usage chunk when asked, then {@code [DONE]}. Pauses while the caller's write queue is full, stops
 * generating when the caller goes away. Confined to the connection's event loop.
 */
final class TokenStream {

    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");
    private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");

    private final Vertx vertx;
    private final Exchange exchange;
    private final HttpServerResponse response;
    private final GenerationPlan plan;
    private final CompletionJson json;
    private final StringBuilder sb = new StringBuilder(256);
    private final int cutAt;
    private int next;
    private boolean roleSent;
    private long startNanos;
    private long timerId = -1;
    private Future<Void> lastWrite;

    TokenStream(Vertx vertx, Exchange exchange, GenerationPlan plan) {
        this.vertx = vertx;
        this.exchange = exchange;
        this.response = exchange.response();
        this.plan = plan;
        this.json = new CompletionJson(plan);
        this.cutAt = plan.cutAfter() < 0 ? -1 : Math.min(plan.cutAfter(), plan.completionTokens());
    }

    void start() {
        response.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM)
                .putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE);
        lastWrite = response.writeHead();
        exchange.onAbort(this::cancelTimer);
        startNanos = System.nanoTime();
        scheduleNext();
    }

    /** Runs the next tick when the next token is due, once the caller has drained what it was sent. */
    private void scheduleNext() {
        if (response.writeQueueFull()) {
            response.drainHandler(v -> {
                response.drainHandler(null);
                scheduleNext();
            });
            return;
        }
        long waitNanos = dueNanos() - System.nanoTime();
        if (waitNanos <= 0) {
            tick();
        } else {
            timerId = vertx.setTimer((waitNanos + 999_999) / 1_000_000, id -> {
                timerId = -1;
                tick();
            });
        }
    }

    /** Writes every token that is due (all of them without latency), then waits for the next one. */
    private void tick() {
        if (exchange.isDone()) {
            return;
        }
        if (plan.chat() && !roleSent && cutAt != 0) { // cut before the first token: nothing at all
            roleSent = true;
            write(json.role(sb));
        }
        do {
            if (emitNext()) {
                return;
            }
        } while (!response.writeQueueFull() && dueNanos() - System.nanoTime() <= 0);
        scheduleNext();
    }

    /** Token k is due at start + ttft + k * itl: deadlines are absolute, so timer lateness does not add up. */
    private long dueNanos() {
        return startNanos + TimeUnit.MILLISECONDS.toNanos(plan.ttftMs() + next * plan.itlMs());
    }

    /** Writes the next token; true once the stream is over (finished or cut). */
    private boolean emitNext() {
        int n = plan.completionTokens();
        if (next == cutAt) {
            exchange.cut(lastWrite);
            return true;
        }
        if (next < n) {
            boolean last = next == n - 1 && cutAt != n;
            write(json.token(sb, next++, last));
            exchange.streamedToken();
            if (!last) {
                return false;
            }
        }
        finish();
        return true;
    }

    private void finish() {
        if (plan.completionTokens() == 0) {
            write(json.finish(sb));
        }
        if (plan.streamUsage()) {
            write(json.usage(sb));
        }
        exchange.end(Buffer.buffer(DONE));
    }

    private void write(StringBuilder chunk) {
        lastWrite = response.write(Buffer.buffer(chunk.toString()));
        chunk.setLength(0);
    }

    private void cancelTimer() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }
}
