package io.tokengate.sim;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** JSON helpers: one shared mapper for parsing, string quoting for the hand-built response bodies. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    private Json() {
    }

    /** Parses a request body; returns null when it is not one JSON value. */
    static JsonNode parse(Buffer body) {
        try {
            JsonNode node = MAPPER.readTree(body.getBytes());
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException e) {
            return null;
        }
    }

    /** Appends {@code s} as a JSON string literal, quotes included. */
    static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        ENCODER.quoteAsString(s, sb);
        return sb.append('"');
    }

    static String quote(String s) {
        return quote(new StringBuilder(s.length() + 8), s).toString();
    }

    /** An int field of {@code node}, or {@code fallback} when it is absent or not a number. */
    static int intField(JsonNode node, String field, int fallback) {
        JsonNode v = node.get(field);
        return v != null && v.isNumber() ? v.asInt() : fallback;
    }

    static boolean boolField(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.asBoolean(false);
    }
}
