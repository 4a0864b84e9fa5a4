package io.tokengate.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;

/**
 * One streaming pass over the request JSON: reads the few top-level fields the gateway needs, records where
 * the patchable ones sit, sizes the prompt, and skips everything else without building a tree. Top-level members
 * that change a backend's scheduling or cache sharing ({@link #TENANT_SCOPED}) are recorded as byte ranges to cut,
 * every occurrence (duplicate keys included), each with its separating comma.
 */
final class RequestScanner implements AutoCloseable {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * Fields that steer a shared backend and so are the gateway's to set, never the client's: vLLM's and SGLang's
     * {@code priority}, {@code cache_salt} (the gateway sets its own per tenant), {@code kv_transfer_params}
     * (vLLM disaggregated prefill), {@code request_id} (vLLM, SGLang: the engine's id for the request and its KV
     * transfers); SGLang's {@code rid}, {@code extra_key} (a cache namespace), {@code bootstrap_host},
     * {@code bootstrap_port}, {@code bootstrap_room} (disaggregation) and {@code data_parallel_rank}; TensorRT-LLM's
     * {@code disaggregated_params} and {@code conversation_params} (routing).
     */
    static final Set<String> TENANT_SCOPED = Set.of("priority", "cache_salt", "kv_transfer_params", "request_id",
            "rid", "extra_key", "bootstrap_host", "bootstrap_port", "bootstrap_room", "data_parallel_rank",
            "disaggregated_params", "conversation_params");
    private static final int[] NO_CUTS = new int[0];

    private final byte[] raw;
    private final JsonParser parser;
    final Fields fields = new Fields();

    /** What the scan found; -1 offsets mean absent. */
    static final class Fields {
        String model;
        boolean stream;
        boolean includeUsage;
        Integer maxTokens;
        Integer maxCompletionTokens;
        int objectStart = -1;
        int modelStart = -1;
        int modelEnd = -1;
        int streamOptionsStart = -1;
        boolean streamOptionsEmpty;
        int includeUsageStart = -1;
        int includeUsageEnd = -1;
        int promptStart = -1;
        int[] cuts = NO_CUTS;
        int cutCount;
        boolean hasMessages;
        boolean hasPrompt;
        boolean hasInput;
        final PromptSize prompt = new PromptSize();

        /** The byte ranges to cut, as {@code [start0, end0, start1, end1, …]}, ascending and disjoint. */
        int[] cuts() {
            return cutCount == cuts.length ? cuts : Arrays.copyOf(cuts, cutCount);
        }

        private void cut(int start, int end) {
            if (cutCount == cuts.length) {
                cuts = Arrays.copyOf(cuts, Math.max(4, cuts.length * 2));
            }
            cuts[cutCount++] = start;
            cuts[cutCount++] = end;
        }
    }

    private RequestScanner(byte[] raw) throws IOException {
        this.raw = raw;
        this.parser = JSON.createParser(raw);
    }

    /** Scans {@code raw}, failing with a catalogued 400 on malformed JSON or a mistyped known field. */
    static Fields scan(byte[] raw) {
        int invalid = Utf8.firstInvalid(raw);
        if (invalid >= 0) {
            throw new GatewayFailure(new GatewayError.MalformedJson("the body is not valid UTF-8 (byte " + invalid + ")"));
        }
        try (RequestScanner scanner = new RequestScanner(raw).run()) {
            return scanner.fields;
        } catch (GatewayFailure e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw new GatewayFailure(new GatewayError.MalformedJson(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new GatewayFailure(new GatewayError.MalformedJson("unreadable body"));
        }
    }

    private RequestScanner run() throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new GatewayFailure(new GatewayError.MalformedJson("the body must be a JSON object"));
        }
        fields.objectStart = offset();
        int run = -1; // where the current run of tenant-scoped members starts
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            boolean scoped = TENANT_SCOPED.contains(name);
            if (run >= 0 && !scoped) { // the run with the commas after it, up to this key
                fields.cut(run, offset());
                run = -1;
            } else if (run < 0 && scoped) {
                run = offset();
            }
            parser.nextToken();
            if (scoped) {
                parser.skipChildren();
            } else {
                field(name);
            }
        }
        if (run >= 0) { // a run at the end: the comma before it up to the closing brace
            fields.cut(commaBefore(run), offset());
        }
        if (parser.nextToken() != null) {
            throw new GatewayFailure(new GatewayError.MalformedJson("unexpected content after the JSON object"));
        }
        return this;
    }

    private void field(String name) throws IOException {
        switch (name) {
            case "model" -> model();
            case "stream" -> fields.stream = bool("stream");
            case "max_tokens" -> fields.maxTokens = positiveInt("max_tokens");
            case "max_completion_tokens" -> fields.maxCompletionTokens = positiveInt("max_completion_tokens");
            case "stream_options" -> streamOptions();
            case "messages" -> {
                fields.promptStart = offset();
                fields.hasMessages = fields.prompt.messages(parser);
            }
            case "prompt" -> {
                fields.promptStart = offset();
                fields.hasPrompt = fields.prompt.text(parser, "prompt");
            }
            case "input" -> fields.hasInput = fields.prompt.text(parser, "input");
            default -> parser.skipChildren();
        }
    }

    private void model() throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw invalidType("model", "a string");
        }
        fields.modelStart = offset();
        fields.model = parser.getText();
        fields.modelEnd = (int) parser.currentLocation().getByteOffset();
        if (fields.model.isBlank()) {
            throw new GatewayFailure(new GatewayError.MissingField("model"));
        }
    }

    private void streamOptions() throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return;
        }
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw invalidType("stream_options", "an object");
        }
        fields.streamOptionsStart = offset();
        fields.streamOptionsEmpty = true;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            fields.streamOptionsEmpty = false;
            String name = parser.currentName();
            parser.nextToken();
            if ("include_usage".equals(name)) {
                fields.includeUsageStart = offset();
                fields.includeUsage = bool("stream_options.include_usage");
                fields.includeUsageEnd = (int) parser.currentLocation().getByteOffset();
            } else {
                parser.skipChildren();
            }
        }
    }

    /**
     * The comma between a member and the one before it. {@code model} is required and never cut, so a run at the
     * end always has a member before it.
     */
    private int commaBefore(int keyStart) {
        int i = keyStart - 1;
        while (i > fields.objectStart && raw[i] != ',') {
            i--; // only JSON whitespace lies between the comma and the key
        }
        return i > fields.objectStart ? i : keyStart;
    }

    private boolean bool(String param) {
        return switch (parser.currentToken()) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE, VALUE_NULL -> false;
            default -> throw invalidType(param, "a boolean");
        };
    }

    private Integer positiveInt(String param) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw invalidType(param, "an integer");
        }
        long value = parser.getLongValue();
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw new GatewayFailure(new GatewayError.InvalidValue(param, "must be at least 1."));
        }
        return (int) value;
    }

    private int offset() {
        return (int) parser.currentTokenLocation().getByteOffset();
    }

    static GatewayFailure invalidType(String param, String expected) {
        return new GatewayFailure(new GatewayError.InvalidType(param, expected));
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
