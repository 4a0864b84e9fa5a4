package io.tokengate.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** Sizes the prompt while the scanner walks {@code messages}, {@code prompt} or {@code input}. */
final class PromptSize {
    long textBytes;
    int messages;
    int tokenIds;

    int estimatedTokens() {
        return TokenEstimator.promptTokens(textBytes, messages, tokenIds);
    }

    /** Chat messages: an array of objects; counts every string inside (content, parts, names). */
    boolean messages(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw RequestScanner.invalidType("messages", "an array");
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new IOException("truncated messages");
            }
            depth += depthChange(token);
            if (token == JsonToken.START_OBJECT && depth == 2) {
                messages++;
            } else if (token == JsonToken.VALUE_STRING) {
                textBytes += parser.getTextLength();
            }
        }
        return true;
    }

    /** {@code prompt} / {@code input}: a string, an array of strings, or arrays of token ids. */
    boolean text(JsonParser parser, String param) throws IOException {
        JsonToken first = parser.currentToken();
        if (first == JsonToken.VALUE_STRING) {
            textBytes += parser.getTextLength();
            return true;
        }
        if (first != JsonToken.START_ARRAY) {
            throw RequestScanner.invalidType(param, "a string or an array");
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new IOException("truncated " + param);
            }
            depth += depthChange(token);
            count(parser, token, param);
        }
        return true;
    }

    private void count(JsonParser parser, JsonToken token, String param) throws IOException {
        switch (token) {
            case VALUE_STRING -> textBytes += parser.getTextLength();
            case VALUE_NUMBER_INT -> tokenIds++;
            case START_ARRAY, END_ARRAY -> { }
            default -> throw RequestScanner.invalidType(param, "strings or token ids");
        }
    }

    private static int depthChange(JsonToken token) {
        return switch (token) {
            case START_ARRAY, START_OBJECT -> 1;
            case END_ARRAY, END_OBJECT -> -1;
            default -> 0;
        };
    }
}
