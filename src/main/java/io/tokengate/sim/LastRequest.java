package io.tokengate.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/** The most recent {@code /v1} request, kept as received and rendered only when {@code /sim/last-request} asks. */
record LastRequest(String method, String path, String query, MultiMap headers, Buffer body) {

    static LastRequest of(HttpServerRequest request, Buffer body) {
        return new LastRequest(request.method().name(), request.path(), request.query(), request.headers(), body);
    }

    /** {@code {"method","path","query","headers":{name:value},"body":"<raw>"}}; repeated headers are joined by ", ". */
    String toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("method", method).put("path", path).put("query", query);
        ObjectNode h = root.putObject("headers");
        for (Map.Entry<String, String> e : headers) {
            String previous = h.has(e.getKey()) ? h.get(e.getKey()).asText() + ", " : "";
            h.put(e.getKey(), previous + e.getValue());
        }
        root.put("body", body.toString());
        return root.toString();
    }
}
