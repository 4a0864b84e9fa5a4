package io.tokengate.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;

/**
 * The simulator's own endpoints: {@code GET /sim/stats}, {@code POST /sim/reset}, {@code GET|PUT /sim/config}
 * ({@code ttft_ms}, {@code itl_ms}, {@code output_tokens}, {@code error_rate}) and {@code GET /sim/last-request}.
 */
final class ControlHandler {

    private final SimState state;

    ControlHandler(SimState state) {
        this.state = state;
    }

    void handle(HttpServerRequest request, String path) {
        HttpServerResponse response = request.response();
        HttpMethod method = request.method();
        switch (path) {
            case "/sim/stats" -> only(HttpMethod.GET, method, response,
                    () -> Replies.json(response, 200, Buffer.buffer(state.counters().toJson())));
            case "/sim/reset" -> only(HttpMethod.POST, method, response, () -> {
                state.reset();
                response.setStatusCode(204).end();
            });
            case "/sim/last-request" -> only(HttpMethod.GET, method, response, () -> lastRequest(response));
            case "/sim/config" -> config(request, response);
            default -> Replies.error(response, 404, "Unknown simulator endpoint " + path, "not_found");
        }
    }

    private static void only(HttpMethod expected, HttpMethod actual, HttpServerResponse response, Runnable action) {
        if (expected.equals(actual)) {
            action.run();
        } else {
            Replies.error(response, 405, "Use " + expected.name(), "method_not_allowed");
        }
    }

    private void lastRequest(HttpServerResponse response) {
        LastRequest last = state.last();
        if (last == null) {
            Replies.error(response, 404, "No /v1 request received yet", "not_found");
        } else {
            Replies.json(response, 200, Buffer.buffer(last.toJson()));
        }
    }

    private void config(HttpServerRequest request, HttpServerResponse response) {
        if (request.method().equals(HttpMethod.GET)) {
            Replies.json(response, 200, Buffer.buffer(configJson(state.settings())));
            return;
        }
        only(HttpMethod.PUT, request.method(), response, () -> request.body().onSuccess(body -> {
            JsonNode changes = Json.parse(body);
            if (changes == null || !changes.isObject()) {
                Replies.error(response, 400, "Body must be a JSON object", null);
                return;
            }
            try {
                SimulatorSettings now = state.update(current -> apply(current, changes));
                Replies.json(response, 200, Buffer.buffer(configJson(now)));
            } catch (IllegalArgumentException e) {
                Replies.error(response, 400, e.getMessage(), null);
            }
        }));
    }

    private static SimulatorSettings apply(SimulatorSettings s, JsonNode changes) {
        SimulatorSettings next = s;
        if (changes.hasNonNull("ttft_ms")) {
            next = next.withTimeToFirstToken(Duration.ofMillis(changes.get("ttft_ms").asLong()));
        }
        if (changes.hasNonNull("itl_ms")) {
            next = next.withInterTokenLatency(Duration.ofMillis(changes.get("itl_ms").asLong()));
        }
        if (changes.hasNonNull("output_tokens")) {
            next = next.withOutputTokens(changes.get("output_tokens").asInt());
        }
        if (changes.hasNonNull("error_rate")) {
            next = next.withErrorRate(changes.get("error_rate").asDouble());
        }
        return next;
    }

    private static String configJson(SimulatorSettings s) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("ttft_ms", s.timeToFirstToken().toMillis())
                .put("itl_ms", s.interTokenLatency().toMillis()).put("output_tokens", s.outputTokens())
                .put("error_rate", s.errorRate());
        s.models().forEach(node.putArray("models")::add);
        return node.toString();
    }
}
