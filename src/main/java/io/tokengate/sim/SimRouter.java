package io.tokengate.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Dispatches every request of the simulator; stateless, shared by all its event loops. Before a {@code /v1} request
 * reaches its handler, the instance-wide state may answer it instead, in this order: asleep or waking (503
 * {@code model_not_loaded}), {@code fail_next} (POST only, counts down), {@code fail_status_always}, {@code hang_all}.
 * {@code GET /health} answers 200 with no body when ready, else 503.
 */
final class SimRouter implements Handler<HttpServerRequest> {

    private static final Buffer NO_BODY = Buffer.buffer(0);
    private static final String NOT_LOADED = "model_not_loaded";

    private final SimState state;
    private final CompletionHandler chat;
    private final CompletionHandler completions;
    private final EmbeddingsHandler embeddings;
    private final ModelsHandler models;
    private final ControlHandler control;

    SimRouter(Vertx vertx, SimState state) {
        this.state = state;
        this.chat = new CompletionHandler(vertx, state, true);
        this.completions = new CompletionHandler(vertx, state, false);
        this.embeddings = new EmbeddingsHandler(vertx);
        this.models = new ModelsHandler(state);
        this.control = new ControlHandler(state);
    }

    @Override
    public void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.startsWith("/v1/")) {
            api(request, path);
        } else if (path.startsWith("/sim/")) {
            control.handle(request, path);
        } else if (path.equals("/health")) {
            health(request);
        } else {
            Replies.error(request.response(), 404, "Unknown path " + path, "not_found");
        }
    }

    private void api(HttpServerRequest request, String path) {
        if (request.method().equals(HttpMethod.POST)) {
            post(request, path);
            return;
        }
        state.record(request, NO_BODY);
        if (refused(request.response())) {
            return;
        }
        if (!request.method().equals(HttpMethod.GET)) {
            Replies.error(request.response(), 405, "Method not allowed", "method_not_allowed");
        } else if (!models.handle(request.response(), path)) {
            Replies.error(request.response(), 404, "Unknown path " + path, "not_found");
        }
    }

    private void post(HttpServerRequest request, String path) {
        Exchange exchange = new Exchange(request, state.counters()); // in flight before counted as received
        state.counters().request();
        request.body().onComplete(ar -> {
            if (ar.failed()) {
                exchange.abort();
                return;
            }
            state.record(request, ar.result());
            if (!refused(exchange)) {
                dispatch(exchange, path, ar.result());
            }
        });
    }

    private void dispatch(Exchange exchange, String path, Buffer body) {
        JsonNode root = Json.parse(body);
        if (root == null || !root.isObject()) {
            exchange.sendError(400, "The request body is not a valid JSON object", null);
            return;
        }
        switch (path) {
            case "/v1/chat/completions" -> chat.handle(exchange, root);
            case "/v1/completions" -> completions.handle(exchange, root);
            case "/v1/embeddings" -> embeddings.handle(exchange, root);
            default -> exchange.sendError(404, "Unknown path " + path, "not_found");
        }
    }

    /** vLLM's {@code GET /health}: 200 and no body when ready, 503 while asleep or waking or when told to fail. */
    private void health(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            Replies.error(response, 405, "Use GET", "method_not_allowed");
            return;
        }
        state.counters().healthCheck();
        if (!state.readiness().ready()) {
            notLoaded(response);
            Replies.error(response, 503, notLoadedMessage(), NOT_LOADED);
        } else if (state.faults().failHealth()) {
            Replies.error(response, 503, "simulated health check failure", "unhealthy");
        } else {
            response.setStatusCode(200).end();
        }
    }

    /** Applies the instance-wide state to a {@code /v1} POST; true when it answered (or will never answer). */
    private boolean refused(Exchange exchange) {
        if (!state.readiness().ready()) {
            notLoaded(exchange.response());
            exchange.sendError(503, notLoadedMessage(), NOT_LOADED);
            return true;
        }
        SimFaults faults = state.faults();
        SimFaults.Failure failure = faults.takeNext();
        if (failure == null) {
            failure = faults.always();
        }
        if (failure != null) {
            retryAfter(exchange.response(), failure);
            exchange.sendError(failure.status(), "simulated failure", "simulated_" + failure.status());
            return true;
        }
        return faults.hangAll();
    }

    /** The same for the other {@code /v1} methods (no {@code fail_next}, not counted). */
    private boolean refused(HttpServerResponse response) {
        if (!state.readiness().ready()) {
            notLoaded(response);
            Replies.error(response, 503, notLoadedMessage(), NOT_LOADED);
            return true;
        }
        SimFaults.Failure failure = state.faults().always();
        if (failure != null) {
            retryAfter(response, failure);
            Replies.error(response, failure.status(), "simulated failure", "simulated_" + failure.status());
            return true;
        }
        return state.faults().hangAll();
    }

    private void notLoaded(HttpServerResponse response) {
        // marks the answer so that a caller can tell a sleeping simulator from an injected 503
        response.putHeader("X-Sim-State", state.readiness().phase().json());
    }

    private String notLoadedMessage() {
        return state.readiness().phase() == SimReadiness.Phase.WAKING ? "The model is loading (simulator waking up)"
                : "The model is not loaded (simulator asleep; POST /sim/wake wakes it)";
    }

    private static void retryAfter(HttpServerResponse response, SimFaults.Failure failure) {
        if (failure.retryAfter() >= 0) {
            response.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(failure.retryAfter()));
        }
    }
}
