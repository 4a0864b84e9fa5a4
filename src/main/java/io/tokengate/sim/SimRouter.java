package io.tokengate.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/** Dispatches every request of the simulator; stateless, shared by all its event loops. */
final class SimRouter implements Handler<HttpServerRequest> {

    private static final Buffer NO_BODY = Buffer.buffer(0);

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
        if (!request.method().equals(HttpMethod.GET)) {
            Replies.error(request.response(), 405, "Method not allowed", "method_not_allowed");
        } else if (!models.handle(request.response(), path)) {
            Replies.error(request.response(), 404, "Unknown path " + path, "not_found");
        }
    }

    private void post(HttpServerRequest request, String path) {
        state.counters().request();
        Exchange exchange = new Exchange(request, state.counters());
        request.body().onComplete(ar -> {
            if (ar.failed()) {
                exchange.abort();
                return;
            }
            state.record(request, ar.result());
            dispatch(exchange, path, ar.result());
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
}
