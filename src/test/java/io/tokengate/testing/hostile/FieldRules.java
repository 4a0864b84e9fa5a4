package io.tokengate.testing.hostile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * The request fields the gateway itself reads, and what it must answer when one holds a given value, written from
 * the API contract (README, "Errors"): a mistyped or out-of-range field is 400, a model nobody serves is 404.
 */
public final class FieldRules {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Validated by the gateway on every POST route ({@code include_usage} sits inside {@code stream_options}). */
    public static final List<String> VALIDATED = List.of("model", "messages", "prompt", "input", "stream",
            "stream_options", "stream_options.include_usage", "max_tokens", "max_completion_tokens");

    /** Fields the gateway forwards without reading (the backend judges them), some of them cut or set per tenant. */
    public static final List<String> FORWARDED = List.of("n", "tools", "tool_choice", "functions", "temperature",
            "top_p", "user", "logprobs", "top_logprobs", "seed", "stop", "response_format", "logit_bias",
            "presence_penalty", "frequency_penalty", "parallel_tool_calls", "dimensions", "encoding_format", "suffix",
            "echo", "best_of", "priority", "cache_salt", "kv_transfer_params", "metadata", "store", "sim");

    /** Mistyped or extreme JSON values of every kind. */
    public static final List<String> VALUES = List.of("\"x\"", "\"\"", "\" \"", "\"1\"", "\"true\"", "\"\\u0000\"",
            "\"\\ud800\"", "0", "1", "-1", "-0", "1.5", "-0.0", "1e308", "-1e308", "1e999", "4.9e-324", "2147483648",
            "9223372036854775808", "123456789012345678901234567890", "true", "false", "null", "[]", "[1]", "[\"x\"]",
            "[[]]", "[{}]", "[null]", "[1.5]", "{}", "{\"a\":1}", "{\"include_usage\":\"yes\"}");

    private FieldRules() {}

    /** The status for {@code field = raw} in an otherwise valid request, or 0 where the gateway accepts it. */
    public static int expected(String field, String raw) {
        JsonNode v;
        try {
            v = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            return 400;
        }
        return switch (field) {
            case "model" -> model(v);
            case "messages" -> v.isArray() ? 0 : 400;
            case "prompt", "input" -> v.isTextual() || v.isArray() && tokensOrText(v) ? 0 : 400;
            case "stream", "stream_options.include_usage" -> v.isBoolean() || v.isNull() ? 0 : 400;
            case "stream_options" -> v.isObject() || v.isNull() ? 0 : 400;
            case "max_tokens", "max_completion_tokens" -> v.isNull() || positiveInt(v) ? 0 : 400;
            default -> throw new IllegalArgumentException(field);
        };
    }

    /** Sets {@code field} (a dotted name for {@code stream_options.include_usage}) to {@code raw}. */
    public static JsonBody set(JsonBody body, String field, String raw) {
        return field.equals("stream_options.include_usage")
                ? body.set("stream_options", "{\"include_usage\":" + raw + "}") : body.set(field, raw);
    }

    private static int model(JsonNode v) {
        if (!v.isTextual() || v.textValue().isBlank()) {
            return 400;
        }
        return List.of("sim-llama", "sim-embed", "slow-llama", "dead-llama", "aliased", "h2c-llama")
                .contains(v.textValue()) ? 0 : 404;
    }

    private static boolean positiveInt(JsonNode v) {
        return v.isIntegralNumber() && v.canConvertToLong() && v.longValue() >= 1 && v.longValue() <= Integer.MAX_VALUE;
    }

    /** Strings, integers (token ids) and arrays of them, at any depth. */
    private static boolean tokensOrText(JsonNode v) {
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (!tokensOrText(e)) {
                    return false;
                }
            }
            return true;
        }
        return v.isTextual() || v.isIntegralNumber();
    }
}
