package io.tokengate.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** Writes whole responses, including OpenAI-format errors {@code {"error":{message,type,param,code}}}. */
final class Replies {

    static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

    private Replies() {
    }

    static void json(HttpServerResponse response, int status, Buffer body) {
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(body);
    }

    static void error(HttpServerResponse response, int status, String message, String code) {
        json(response, status, errorBody(message, typeFor(status), null, code));
    }

    static Buffer errorBody(String message, String type, String param, String code) {
        StringBuilder sb = new StringBuilder(96 + message.length()).append("{\"error\":{\"message\":");
        Json.quote(sb, message).append(",\"type\":");
        Json.quote(sb, type).append(",\"param\":");
        appendNullable(sb, param).append(",\"code\":");
        return Buffer.buffer(appendNullable(sb, code).append("}}").toString());
    }

    /** The OpenAI error type for an HTTP status. */
    static String typeFor(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    private static StringBuilder appendNullable(StringBuilder sb, String s) {
        return s == null ? sb.append("null") : Json.quote(sb, s);
    }
}
