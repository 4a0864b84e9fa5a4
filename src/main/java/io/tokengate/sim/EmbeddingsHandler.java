package io.tokengate.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/embeddings}: one vector per input (a string, strings, a token array or token arrays), of
 * {@code dimensions} (default 64) values, as JSON floats or, with {@code encoding_format: "base64"}, base64 float32.
 * Answers at once unless {@code sim.ttft_ms} asks for a delay.
 */
final class EmbeddingsHandler {

    static final int DEFAULT_DIMENSIONS = 64;
    private static final int MAX_DIMENSIONS = 16384;

    private final Vertx vertx;

    EmbeddingsHandler(Vertx vertx) {
        this.vertx = vertx;
    }

    void handle(Exchange exchange, JsonNode root) {
        SimControls controls = SimControls.of(root);
        if (controls.intercept(exchange)) {
            return;
        }
        String problem = problem(root);
        List<JsonNode> inputs = problem == null ? inputs(root.get("input")) : null;
        if (problem != null || inputs == null) {
            exchange.sendError(400, problem != null ? problem : "'input' must be a non-empty string, "
                    + "array of strings, array of token ids or array of token id arrays", null);
            return;
        }
        Buffer body = Buffer.buffer(body(root, inputs));
        if (controls.ttftMs() > 0) {
            long timer = vertx.setTimer(controls.ttftMs(), id -> exchange.sendJson(200, body));
            exchange.onAbort(() -> vertx.cancelTimer(timer));
        } else {
            exchange.sendJson(200, body);
        }
    }

    private static String problem(JsonNode root) {
        JsonNode model = root.get("model");
        if (model == null || !model.isTextual() || model.textValue().isEmpty()) {
            return "you must provide a model parameter";
        }
        int dims = Json.intField(root, "dimensions", DEFAULT_DIMENSIONS);
        if (dims < 1 || dims > MAX_DIMENSIONS) {
            return "'dimensions' must be between 1 and " + MAX_DIMENSIONS;
        }
        String format = root.path("encoding_format").asText("float");
        return format.equals("float") || format.equals("base64") || root.path("encoding_format").isNull() ? null
                : "'encoding_format' must be 'float' or 'base64'";
    }

    /** The separate inputs, or null when {@code input} has no valid shape. */
    private static List<JsonNode> inputs(JsonNode input) {
        if (input != null && input.isTextual()) {
            return List.of(input);
        }
        if (input == null || !input.isArray() || input.isEmpty()) {
            return null;
        }
        if (input.get(0).isNumber()) {
            return allNumbers(input) ? List.of(input) : null;
        }
        List<JsonNode> inputs = new ArrayList<>(input.size());
        for (JsonNode item : input) {
            if (!item.isTextual() && !(item.isArray() && !item.isEmpty() && allNumbers(item))) {
                return null;
            }
            inputs.add(item);
        }
        return inputs;
    }

    private static boolean allNumbers(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isIntegralNumber()) {
                return false;
            }
        }
        return true;
    }

    private static String body(JsonNode root, List<JsonNode> inputs) {
        int dims = Json.intField(root, "dimensions", DEFAULT_DIMENSIONS);
        boolean base64 = "base64".equals(root.path("encoding_format").asText());
        StringBuilder sb = new StringBuilder(64 + inputs.size() * (base64 ? 64 + dims * 6 : 64 + dims * 12));
        sb.append("{\"object\":\"list\",\"data\":[");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode input = inputs.get(i);
            tokens += input.isTextual() ? Math.max(1, PromptTokens.ofText(input.textValue())) : input.size();
            float[] v = EmbeddingVectors.vector(EmbeddingVectors.seed(input), dims);
            (i == 0 ? sb : sb.append(',')).append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":");
            (base64 ? EmbeddingVectors.appendBase64(sb, v) : EmbeddingVectors.appendFloats(sb, v)).append('}');
        }
        Json.quote(sb.append("],\"model\":"), root.get("model").textValue());
        return sb.append(",\"usage\":{\"prompt_tokens\":").append(tokens).append(",\"total_tokens\":").append(tokens)
                .append("}}").toString();
    }
}
