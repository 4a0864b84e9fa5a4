package io.tokengate.ingress;

import java.util.Map;

import io.smallrye.mutiny.Uni;
import io.tokengate.auth.Caller;
import io.tokengate.error.ErrorBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * One matched client request (the output of stage 1, Match): the endpoint, request id, clock, and the client
 * connection. Typed per-request state; stages hand records to each other, this object only holds transport.
 */
public final class Exchange {
    public static final String REQUEST_ID = "x-request-id";

    private final RoutingContext ctx;
    private final Endpoint endpoint;
    private final String requestId;
    private final long startNanos;
    private final long maxBodyBytes;
    private Runnable onClientGone = () -> { };
    private Caller caller;
    private String model;
    private boolean clientGone;
    private Map<String, String> traceHeaders = Map.of();

    Exchange(RoutingContext ctx, Endpoint endpoint, String requestId, long maxBodyBytes) {
        this.ctx = ctx;
        this.endpoint = endpoint;
        this.requestId = requestId;
        this.maxBodyBytes = maxBodyBytes;
        this.startNanos = System.nanoTime();
        ctx.response().putHeader(REQUEST_ID, requestId);
        ctx.response().closeHandler(v -> clientWentAway());
    }

    /** W3C trace context headers to send upstream (empty when tracing is off). */
    public Map<String, String> traceHeaders() {
        return traceHeaders;
    }

    public void traceHeaders(Map<String, String> headers) {
        this.traceHeaders = headers;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public String requestId() {
        return requestId;
    }

    public long startNanos() {
        return startNanos;
    }

    /** The Vert.x routing context (for the security layer, which works on it). */
    public RoutingContext routingContext() {
        return ctx;
    }

    public HttpServerRequest request() {
        return ctx.request();
    }

    public HttpServerResponse response() {
        return ctx.response();
    }

    /** Stage 2 names the caller here, for the access log of requests that fail later. */
    public void identified(Caller caller) {
        this.caller = caller;
    }

    /** The authenticated caller, or null before (or without) authentication. */
    public Caller caller() {
        return caller;
    }

    /** Stage 3 names the model here, for the access log. */
    public void modelRequested(String model) {
        this.model = model;
    }

    /** The requested model, or null before parsing. */
    public String model() {
        return model;
    }

    /** A request header, or null. */
    public String header(String name) {
        return ctx.request().getHeader(name);
    }

    /** The {@code {model}} path parameter of {@link Endpoint#GET_MODEL}. */
    public String modelParam() {
        return ctx.pathParam("model");
    }

    /** Reads the whole body once, failing with {@code RequestTooLarge} past the configured limit. */
    public Uni<Buffer> readBody() {
        return BodyReader.read(ctx.request(), maxBodyBytes);
    }

    /** Runs {@code action} when the client goes away before the response ended (replaces the previous one). */
    public void onClientGone(Runnable action) {
        this.onClientGone = action;
        if (clientGone) {
            action.run();
        }
    }

    public boolean clientGone() {
        return clientGone;
    }

    /** True once the status line went out: from then on, failures can only be told inside the body. */
    public boolean committed() {
        return ctx.response().headWritten();
    }

    /** Sends a complete JSON response. */
    public void sendJson(int status, Buffer json) {
        if (!clientGone && !committed()) {
            ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(json);
        }
    }

    /** Sends a catalogued error: a JSON response, or an SSE error event if a stream is already under way. */
    public void sendError(ErrorBody error) {
        if (clientGone || ctx.response().ended()) {
            return;
        }
        if (committed()) {
            ctx.response().end(error.toSseEvent());
            return;
        }
        if (!ctx.request().isEnded() && ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
            ctx.response().putHeader("connection", "close"); // unread body: this connection cannot be reused
        }
        error.headers().forEach(ctx.response()::putHeader);
        if ((error.status() == 503 || error.status() == 429) && !ctx.response().headers().contains("retry-after")) {
            ctx.response().putHeader("retry-after", "1");
        }
        sendJson(error.status(), Buffer.buffer(error.toJson()));
    }

    private void clientWentAway() {
        if (!ctx.response().ended()) {
            clientGone = true;
            onClientGone.run();
        }
    }
}
