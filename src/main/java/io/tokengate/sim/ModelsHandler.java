package io.tokengate.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code GET /v1/models} and {@code GET /v1/models/{model}} over the configured model list. */
final class ModelsHandler {

    private static final String PREFIX = "/v1/models/";

    private final SimState state;

    ModelsHandler(SimState state) {
        this.state = state;
    }

    /** Answers {@code path} if it names the models resource; false when it does not. */
    boolean handle(HttpServerResponse response, String path) {
        if (path.equals("/v1/models")) {
            Replies.json(response, 200, Buffer.buffer(list()));
            return true;
        }
        if (!path.startsWith(PREFIX) || path.length() == PREFIX.length()) {
            return false;
        }
        String id = URLDecoder.decode(path.substring(PREFIX.length()), StandardCharsets.UTF_8);
        if (state.settings().models().contains(id)) {
            Replies.json(response, 200, Buffer.buffer(model(new StringBuilder(128), id).toString()));
        } else {
            Replies.error(response, 404, "The model '" + id + "' does not exist", "model_not_found");
        }
        return true;
    }

    private String list() {
        List<String> models = state.settings().models();
        StringBuilder sb = new StringBuilder(32 + models.size() * 96).append("{\"object\":\"list\",\"data\":[");
        for (int i = 0; i < models.size(); i++) {
            model(i == 0 ? sb : sb.append(','), models.get(i));
        }
        return sb.append("]}").toString();
    }

    private StringBuilder model(StringBuilder sb, String id) {
        Json.quote(sb.append("{\"id\":"), id).append(",\"object\":\"model\",\"created\":")
                .append(state.createdEpochSecond());
        return sb.append(",\"owned_by\":\"tokengate-sim\"}");
    }
}
