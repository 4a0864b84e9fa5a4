package io.tokengate.ingress;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads and discards the rest of a request body that will not be used (an error answers it), so that a client
 * still uploading gets the error instead of a reset connection: HTTP/1.1 clients such as the OpenAI SDKs write the
 * whole body before they read the answer. Bounded in bytes and time; past either bound the caller answers and
 * closes the connection. Costs no memory: every chunk is dropped as it arrives.
 */
final class BodyDrain {
    private final HttpServerRequest request;
    private final Vertx vertx;
    private final Runnable drained;
    private final Runnable gaveUp;
    private final long maxBytes;
    private long seen;
    private long timer;
    private boolean done;

    private BodyDrain(RoutingContext ctx, long maxBytes, Runnable drained, Runnable gaveUp) {
        this.request = ctx.request();
        this.vertx = ctx.vertx();
        this.maxBytes = maxBytes;
        this.drained = drained;
        this.gaveUp = gaveUp;
    }

    /**
     * Discards the rest of {@code ctx}'s request, then runs {@code drained}; runs {@code gaveUp} instead when more
     * than {@code maxBytes} arrive, {@code maxMillis} pass or the request fails.
     */
    static void discard(RoutingContext ctx, Limits limits, Runnable drained, Runnable gaveUp) {
        BodyDrain drain = new BodyDrain(ctx, limits.drainBytes(), drained, gaveUp);
        drain.timer = drain.vertx.setTimer(Math.max(1, limits.drainMillis()), id -> drain.finish(false));
        drain.start();
    }

    private void start() {
        request.handler(chunk -> {
            seen += chunk.length();
            if (seen > maxBytes) {
                finish(false);
            }
        });
        request.exceptionHandler(e -> finish(false));
        request.endHandler(v -> finish(true));
        request.resume();
    }

    private void finish(boolean complete) {
        if (done) {
            return;
        }
        done = true;
        vertx.cancelTimer(timer);
        if (!complete) {
            request.handler(null); // the connection is closed with the answer: nothing more is read
            request.endHandler(null);
        }
        (complete ? drained : gaveUp).run();
    }

    /** The body limits of one request: what it may send, and how much of an unwanted rest is discarded. */
    record Limits(long maxBodyBytes, long drainBytes, long drainMillis) {
        static final Limits NONE = new Limits(0, 0, 0);
    }
}
