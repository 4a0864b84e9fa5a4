package io.tokengate.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Taps {@code usage} from OpenAI responses: a complete JSON body, or the data of one stream chunk. When a
 * backend reports none, the completion is estimated from the generated text and the usage marked estimated.
 */
public final class UsageReader {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private UsageReader() {}

    /** Thrown when a body that should be JSON is not. */
    public static final class NotJson extends RuntimeException {
        NotJson(String message) {
            super(message, null, false, false);
        }
    }

    /** Usage of a complete response; throws {@link NotJson} if the body is not one JSON object. */
    public static Usage fromResponse(byte[] json, int estimatedPromptTokens) {
        Scan scan = scan(json, 0, json.length);
        if (scan.prompt != null && scan.completion != null) {
            return new Usage(scan.prompt, scan.completion, false);
        }
        if (scan.prompt != null && scan.total != null) { // embeddings report prompt and total only
            return new Usage(scan.prompt, scan.total - scan.prompt, false);
        }
        return new Usage(estimatedPromptTokens, (int) ((scan.textChars + 3) / 4), true);
    }

    /** The usage carried by one stream chunk's JSON data, or null when it carries none. */
    public static Usage fromChunk(byte[] data, int offset, int length) {
        Scan scan = scan(data, offset, length);
        return scan.prompt == null ? null : new Usage(scan.prompt, scan.completion == null ? 0 : scan.completion, false);
    }

    private static final class Scan {
        Integer prompt;
        Integer completion;
        Integer total;
        long textChars;
    }

    private static Scan scan(byte[] json, int offset, int length) {
        Scan scan = new Scan();
        try (JsonParser p = JSON.createParser(json, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new NotJson("not a JSON object");
            }
            walk(p, scan);
            if (p.nextToken() != null) {
                throw new NotJson("trailing content");
            }
            return scan;
        } catch (IOException e) {
            throw new NotJson(e.getMessage());
        }
    }

    private static void walk(JsonParser p, Scan scan) throws IOException {
        int depth = 1;
        while (depth > 0) {
            JsonToken token = p.nextToken();
            if (token == null) {
                throw new NotJson("truncated");
            }
            switch (token) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case FIELD_NAME -> field(p, scan, depth);
                default -> { }
            }
        }
    }

    private static void field(JsonParser p, Scan scan, int depth) throws IOException {
        String name = p.currentName();
        if (depth == 1 && "usage".equals(name)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                usage(p, scan);
            }
        } else if (depth == 1 && "data".equals(name)) {
            p.nextToken();
            p.skipChildren(); // embeddings: vectors carry no text
        } else if ("content".equals(name) || "text".equals(name)) {
            if (p.nextToken() == JsonToken.VALUE_STRING) {
                scan.textChars += p.getTextLength();
            } else {
                p.skipChildren();
            }
        }
    }

    private static void usage(JsonParser p, Scan scan) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            Integer n = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : null;
            switch (name) {
                case "prompt_tokens" -> scan.prompt = n;
                case "completion_tokens" -> scan.completion = n;
                case "total_tokens" -> scan.total = n;
                default -> p.skipChildren();
            }
        }
    }
}
