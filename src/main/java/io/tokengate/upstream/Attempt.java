package io.tokengate.upstream;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.tokengate.protocol.ParsedRequest;
import io.tokengate.protocol.Usage;
import io.tokengate.protocol.UsageReader;
import io.tokengate.routing.Candidate;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeoutException;

/**
 * One try against one candidate: rewrite the body, send, and wait until the answer can be committed to the
 * client (a plain body complete and valid JSON, or a stream's first bytes). Fails with a catalogued error.
 */
final class Attempt {
    private final Vertx vertx;
    private final io.vertx.core.Context context;
    private final HttpClient client;
    private final Candidate candidate;
    private final ParsedRequest request;
    private final String requestId;
    private final java.util.Map<String, String> traceHeaders;
    private final int number;
    private UniEmitter<? super UpstreamResponse> emitter;
    private HttpClientRequest upstream;
    private Watchdog watchdog;
    private boolean cancelled;
    private boolean responded;
    private boolean holding;
    private boolean answered;
    private long sentNanos;

    /** {@code adopt}: the planner already took this endpoint's in-flight slot for the request (first attempt). */
    Attempt(Vertx vertx, HttpClient client, Candidate candidate, ParsedRequest request, String requestId, int number,
            boolean adopt, java.util.Map<String, String> traceHeaders) {
        this.traceHeaders = traceHeaders;
        this.holding = adopt;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.client = client;
        this.candidate = candidate;
        this.request = request;
        this.requestId = requestId;
        this.number = number;
    }

    Uni<UpstreamResponse> run() {
        return Uni.createFrom().<UpstreamResponse>emitter(e -> {
            emitter = e;
            if (!holding) {
                candidate.backend().acquire();
                holding = true;
            }
            client.request(options()).onComplete(ar -> {
                if (ar.failed()) {
                    fail(ar.cause());
                } else {
                    send(ar.result());
                }
            });
        }).onCancellation().invoke(() -> context.runOnContext(v -> abandon())); // the guard's first-byte timeout
    }

    /** The client went away: abandon this attempt and stop the backend's work (nothing to stop once answered). */
    void cancel() {
        if (answered) {
            return; // a complete plain answer: the exchange with the backend is over, its connection stays reusable
        }
        if (emitter != null && !cancelled) {
            emitter.fail(new GatewayFailure(new GatewayError.ClientClosed()));
        }
        abandon();
    }

    private void abandon() {
        cancelled = true;
        release();
        if (watchdog != null) {
            watchdog.stop();
        }
        if (upstream != null) {
            upstream.reset();
        }
    }

    /** Gives back the endpoint's in-flight slot (once): on failure here, else when the relay ends. */
    void release() {
        if (holding) {
            holding = false;
            candidate.backend().release();
        }
    }

    private RequestOptions options() {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setHost(candidate.endpoint().host()).setPort(candidate.endpoint().port())
                .setSsl(candidate.endpoint().ssl()).setURI(candidate.endpoint().path(request.endpoint().path()))
                .putHeader("content-type", "application/json")
                .putHeader("accept", request.stream() ? "text/event-stream" : "application/json")
                .putHeader("x-request-id", requestId);
        candidate.pool().authorization().ifPresent(value -> options.putHeader("authorization", value));
        traceHeaders.forEach(options::putHeader);
        return options;
    }

    private void send(HttpClientRequest req) {
        upstream = req;
        if (cancelled) {
            req.reset();
            return;
        }
        watchdog = new Watchdog(vertx, candidate.pool().idleTimeout().toNanos(), candidate.pool().totalTimeout().toNanos(),
                req::reset);
        req.exceptionHandler(this::fail);
        sentNanos = System.nanoTime();
        req.send(request.upstreamBody(candidate.upstreamModel())).onComplete(ar -> {
            if (ar.failed()) {
                fail(ar.cause());
            } else {
                answer(ar.result());
            }
        });
    }

    private void answer(HttpClientResponse response) {
        responded = true;
        response.exceptionHandler(this::fail);
        if (response.statusCode() >= 500) {
            response.body(); // drain, so the connection can be reused
            fail(new GatewayFailure(new GatewayError.UpstreamFailed(candidate.endpoint().id(), response.statusCode())));
        } else if (response.statusCode() == 429) {
            response.body();
            fail(new GatewayFailure(new GatewayError.UpstreamOverloaded(candidate.endpoint().id(),
                    retryAfterSeconds(response.getHeader("retry-after")))));
        } else if (request.stream() && response.statusCode() == 200 && isEventStream(response)) {
            firstChunk(response);
        } else {
            wholeBody(response);
        }
    }

    private void firstChunk(HttpClientResponse response) {
        response.endHandler(v -> fail(new GatewayFailure(new GatewayError.UpstreamProtocolError(
                candidate.endpoint().id(), "stream ended before any data"))));
        response.handler(chunk -> {
            response.pause();
            response.handler(null);
            response.endHandler(null);
            watchdog.chunk();
            emitter.complete(new UpstreamResponse(candidate, 200, response.headers(), chunk, null, response,
                    upstream, watchdog, number, this::release, sentNanos, System.nanoTime()));
        });
    }

    private void wholeBody(HttpClientResponse response) {
        response.body().onComplete(ar -> {
            if (ar.failed()) {
                fail(ar.cause());
                return;
            }
            watchdog.stop();
            answered = true;
            Buffer body = ar.result();
            try {
                Usage usage = response.statusCode() == 200
                        ? UsageReader.fromResponse(body.getBytes(), request.estimatedPromptTokens()) : Usage.NONE;
                emitter.complete(new UpstreamResponse(candidate, response.statusCode(), response.headers(), body,
                        usage, null, upstream, watchdog, number, this::release, sentNanos, System.nanoTime()));
            } catch (UsageReader.NotJson e) {
                fail(new GatewayFailure(new GatewayError.UpstreamProtocolError(candidate.endpoint().id(), "not JSON")));
            }
        });
    }

    private void fail(Throwable cause) {
        if (watchdog != null) {
            watchdog.stop();
        }
        release();
        if (!cancelled) {
            emitter.fail(new GatewayFailure(classify(cause)));
        }
    }

    private GatewayError classify(Throwable cause) {
        String id = candidate.endpoint().id();
        if (cause instanceof GatewayFailure f) {
            return f.error();
        }
        if (watchdog != null && watchdog.expired() != null) {
            return new GatewayError.UpstreamTimedOut(id, watchdog.expired());
        }
        if (cause instanceof TimeoutException) {
            return new GatewayError.UpstreamTimedOut(id, "connect");
        }
        if (responded) {
            return new GatewayError.UpstreamProtocolError(id, "connection closed mid-response");
        }
        return new GatewayError.UpstreamUnreachable(id);
    }

    /** Seconds of a {@code Retry-After} header (delta-seconds form; absent or a date: 1). */
    static long retryAfterSeconds(String header) {
        if (header == null) {
            return 1;
        }
        try {
            return Math.max(1, Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static boolean isEventStream(HttpClientResponse response) {
        String type = response.getHeader("content-type");
        return type != null && type.startsWith("text/event-stream");
    }
}
