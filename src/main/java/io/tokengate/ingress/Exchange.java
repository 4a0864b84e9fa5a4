package io.tokengate.ingress;

import io.smallrye.mutiny.Uni;
import io.tokengate.error.ErrorBody;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.tokengate.request.Arrival;
import io.tokengate.request.CancelSignal;
import io.tokengate.request.Credentials;
import io.tokengate.request.Operation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * One matched client request (the output of stage 1, Match): its {@link Arrival} (operation, request id, clock) and
 * the client connection. Only transport: stages hand records to each other, nothing is written into this object.
 */
public final class Exchange implements CancelSignal {
    public static final String REQUEST_ID = "x-request-id";

    private final RoutingContext ctx;
    private final Arrival arrival;
    private final BodyDrain.Limits limits;
    private final BodyMemory memory;
    private Runnable onClientGone = () -> { };
    private Runnable onFinished;
    private boolean clientGone;

    Exchange(RoutingContext ctx, Operation operation, String requestId, BodyDrain.Limits limits, BodyMemory memory) {
        this.ctx = ctx;
        this.memory = memory;
        this.arrival = new Arrival(operation, requestId, System.nanoTime());
        this.limits = limits;
        ctx.response().putHeader(REQUEST_ID, requestId);
        ctx.response().closeHandler(v -> clientWentAway());
        ctx.response().endHandler(v -> finished());
    }

    /** The operation, request id and arrival time. */
    public Arrival arrival() {
        return arrival;
    }

    /** The matched API operation (null for unmatched paths). */
    public Operation operation() {
        return arrival.operation();
    }

    public String requestId() {
        return arrival.requestId();
    }

    public HttpServerRequest request() {
        return ctx.request();
    }

    public HttpServerResponse response() {
        return ctx.response();
    }

    /** The credential headers the client presented (stage 2's input). */
    public Credentials credentials() {
        return new Credentials(ctx.request().getHeader("authorization"));
    }

    /** The {@code {model}} path parameter of {@link Operation#GET_MODEL}. */
    public String modelParam() {
        return ctx.pathParam("model");
    }

    /**
     * Reads the whole body once, failing with {@code RequestTooLarge} past the configured limit. Before a byte is
     * read, {@code tenant} takes the body's memory (its declared length, or the limit when it declares none) from
     * the replica's {@link BodyMemory}, given back when the response ends; refused, the request fails (429 for the
     * tenant's share, 503 for the whole) and its body is discarded unread.
     */
    public Uni<Buffer> readBody(String tenant) {
        long declared = BodyReader.declaredLength(ctx.request());
        long bytes = declared >= 0 && declared <= limits.maxBodyBytes() ? declared : limits.maxBodyBytes();
        return Uni.createFrom().item(() -> {
            memory.take(tenant, bytes);
            onFinished = () -> memory.give(tenant, bytes); // once, however the exchange ends
            if (clientGone) {
                finished(); // gone before its body was read: nothing will end this exchange any more
                throw new GatewayFailure(new GatewayError.ClientClosed());
            }
            return tenant;
        }).chain(t -> BodyReader.read(ctx.request(), limits.maxBodyBytes()));
    }

    /** Runs {@code action} when the client goes away before the response ended (replaces the previous one). */
    @Override
    public void onCancel(Runnable action) {
        this.onClientGone = action;
        if (clientGone) {
            action.run();
        }
    }

    public boolean clientGone() {
        return clientGone;
    }

    @Override
    public boolean cancelled() {
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

    /**
     * Sends a catalogued error: a JSON response, or an SSE error event if a stream is already under way. While the
     * client is still sending a body the gateway will not use, that rest is first read and discarded (within
     * bounds), so that a client that writes its whole body before reading (the OpenAI SDKs do) sees the error.
     */
    public void sendError(ErrorBody error) {
        if (clientGone || ctx.response().ended()) {
            return;
        }
        if (committed()) {
            ctx.response().end(error.toSseEvent());
            return;
        }
        HttpServerRequest request = ctx.request();
        boolean unread = !request.isEnded() && request.version() != HttpVersion.HTTP_2;
        if (unread && limits.drainBytes() > 0 && !"100-continue".equalsIgnoreCase(request.getHeader("expect"))) {
            BodyDrain.discard(ctx, limits, () -> respond(error, false), () -> respond(error, true));
            return;
        }
        respond(error, unread);
    }

    private void respond(ErrorBody error, boolean close) {
        if (close) {
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
        finished();
    }

    /** The response ended or the connection closed: what the exchange held is given back (once). */
    private void finished() {
        Runnable release = onFinished;
        onFinished = null;
        if (release != null) {
            release.run();
        }
    }
}
