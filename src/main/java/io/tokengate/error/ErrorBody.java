package io.tokengate.error;

import java.util.Map;

/**
 * One catalogued error as the client sees it: HTTP status, the OpenAI error fields, and the extra response
 * headers that go with it (Retry-After, x-ratelimit-*).
 */
public record ErrorBody(int status, String type, String code, String message, String param,
        Map<String, String> headers) {

    public ErrorBody(int status, String type, String code, String message, String param) {
        this(status, type, code, message, param, Map.of());
    }

    /** The OpenAI error JSON: {@code {"error":{"message","type","param","code"}}}. */
    public String toJson() {
        return "{\"error\":{\"message\":" + Json.quote(message)
                + ",\"type\":" + Json.quote(type)
                + ",\"param\":" + Json.quote(param)
                + ",\"code\":" + Json.quote(code) + "}}";
    }

    /** The same error as one SSE event, for streams already under way. */
    public String toSseEvent() {
        return "data: " + toJson() + "\n\n";
    }
}
