package io.tokengate.upstream;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.tokengate.request.AttemptContext;
import io.tokengate.request.ParsedRequest;
import io.tokengate.request.UpstreamResponse;
import io.tokengate.request.Usage;
import io.tokengate.request.UsageReader;
import io.tokengate.routing.Candidate;
import io.vertx.core.Context;
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
 * client (a plain body complete and valid JSON, or a stream's first bytes), within the {@link Watchdog}'s limits.
 * Fails with a catalogued error. A client that goes away ends it at once, whatever stage it is in: its slot is given
 * back and the upstream request reset.
 */
final class Attempt {
    private final Vertx vertx;
    private final Context context;
    private final HttpClient client;
    private final Candidate candidate;
    private final ParsedRequest request;
    private final AttemptContext caller;
    private final int number;
    private UniEmitter<? super UpstreamResponse> emitter;
    private HttpClientRequest upstream;
    private Watchdog watchdog;
    private boolean cancelled;
    private boolean settled; // the emitter has its item or failure
    private boolean responded;
    private boolean holding;
    private boolean answered;
    private long sentNanos;

    /** {@code adopt}: the planner already took this endpoint's in-flight slot for the request (first attempt). */
    Attempt(Vertx vertx, HttpClient client, Candidate candidate, ParsedRequest request, AttemptContext caller,
            int number, boolean adopt) {
        this.holding = adopt;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.client = client;
        this.candidate = candidate;
        this.request = request;
        this.caller = caller;
        this.number = number;
    }

    Uni<UpstreamResponse> run() {
        return Uni.createFrom().<UpstreamResponse>emitter(e -> {
            emitter = e;
            if (cancelled) { // the client went away before this attempt started: it never starts
                settle().fail(new GatewayFailure(new GatewayError.ClientClosed()));
                return;
            }
            if (!holding) {
                candidate.backend().acquire();
                holding = true;
            }
            watchdog = new Watchdog(vertx, candidate.pool(), request.stream(), this::expire);
            client.request(options()).onComplete(ar -> {
                if (ar.failed()) {
                    fail(ar.cause());
                } else {
                    send(ar.result());
                }
            });
        }).onCancellation().invoke(() -> context.runOnContext(v -> abandon()));
    }

    /** The client went away: abandon this attempt and stop the backend's work (nothing to stop once answered). */
    void cancel() {
        if (answered) {
            return; // a complete plain answer: the exchange with the backend is over, its connection stays reusable
        }
        if (emitter != null && !settled) {
            settle().fail(new GatewayFailure(new GatewayError.ClientClosed()));
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
                .setSsl(candidate.endpoint().ssl()).setURI(candidate.endpoint().path(request.operation().path()))
                .putHeader("content-type", "application/json")
                .putHeader("accept", request.stream() ? "text/event-stream" : "application/json")
                .putHeader("x-request-id", caller.requestId());
        candidate.pool().authorization().ifPresent(value -> options.putHeader("authorization", value));
        caller.traceHeaders().forEach(options::putHeader);
        return options;
    }

    private void send(HttpClientRequest req) {
        upstream = req;
        if (cancelled || settled) {
            req.reset();
            return;
        }
        req.exceptionHandler(this::fail);
        sentNanos = System.nanoTime();
        req.send(request.upstreamBody(candidate.upstreamModel(), candidate.pool().cacheSalt())).onComplete(ar -> {
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
            fail(new GatewayFailure(new GatewayError.UpstreamFailed(endpointId(), response.statusCode())));
        } else if (response.statusCode() == 429) {
            response.body();
            fail(new GatewayFailure(new GatewayError.UpstreamOverloaded(endpointId(),
                    retryAfterSeconds(response.getHeader("retry-after")))));
        } else if (request.stream() && response.statusCode() == 200 && isEventStream(response)) {
            firstChunk(response);
        } else {
            wholeBody(response);
        }
    }

    private void firstChunk(HttpClientResponse response) {
        response.endHandler(v -> fail(new GatewayFailure(new GatewayError.UpstreamProtocolError(
                endpointId(), "stream ended before any data"))));
        response.handler(chunk -> {
            response.pause();
            response.handler(null);
            response.endHandler(null);
            watchdog.chunk();
            settle().complete(answered().stream(response.headers(), chunk, response).build());
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
                settle().complete(answered().complete(response.statusCode(), response.headers(), body, usage).build());
            } catch (UsageReader.NotJson e) {
                fail(new GatewayFailure(new GatewayError.UpstreamProtocolError(endpointId(), "not JSON")));
            }
        });
    }

    /** The answer of this attempt, as far as it is the same for plain answers and streams. */
    private UpstreamResponse.Builder answered() {
        return UpstreamResponse.from(candidate.endpoint().id(), new AttemptLink(watchdog, candidate.backend(), upstream,
                this::release)).attempt(number).timing(sentNanos, System.nanoTime());
    }

    /** A limit of the watchdog fired: stop the exchange (once answered, the relay hears of it from the reset). */
    private void expire() {
        if (upstream != null) {
            upstream.reset();
        }
        fail(new TimeoutException(watchdog.expired().label()));
    }

    private void fail(Throwable cause) {
        if (settled) {
            return; // answered (the relay owns the rest) or already failed
        }
        if (watchdog != null) {
            watchdog.stop();
        }
        release();
        settle().fail(new GatewayFailure(cancelled ? new GatewayError.ClientClosed() : classify(cause)));
    }

    private UniEmitter<? super UpstreamResponse> settle() {
        settled = true;
        return emitter;
    }

    private GatewayError classify(Throwable cause) {
        String id = candidate.endpoint().id().toString();
        if (cause instanceof GatewayFailure f) {
            return f.error();
        }
        Watchdog.Limit expired = watchdog == null ? null : watchdog.expired();
        if (expired == Watchdog.Limit.NON_STREAM) {
            return new GatewayError.NonStreamTimedOut(id, candidate.pool().nonStreamTimeout());
        }
        if (expired != null) {
            return new GatewayError.UpstreamTimedOut(id, expired.label());
        }
        if (cause instanceof TimeoutException) {
            return new GatewayError.UpstreamTimedOut(id, "connect");
        }
        if (responded) {
            return new GatewayError.UpstreamProtocolError(id, "connection closed mid-response");
        }
        return new GatewayError.UpstreamUnreachable(id);
    }

    private String endpointId() {
        return candidate.endpoint().id().toString();
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
