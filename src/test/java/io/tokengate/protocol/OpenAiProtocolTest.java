package io.tokengate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokengate.config.ModelRoute;
import io.tokengate.config.RouteTable;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.tokengate.request.Caller;
import io.tokengate.request.Operation;
import io.tokengate.request.ParsedRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Parse (stage 3) and the per-attempt body rewrite, on raw bytes. */
class OpenAiProtocolTest {
    private static final CacheSalt SALTS = new CacheSalt("a fixed test secret".getBytes(StandardCharsets.UTF_8));
    private static final String SALT = "\"cache_salt\":\"" + SALTS.of("t") + "\",";
    private static final Caller ANYONE = new Caller("t", null, "s", Set.of("*"));
    private static final Caller ONLY_A = new Caller("t", null, "s", Set.of("model-a"));
    private final OpenAiProtocol protocol = new OpenAiProtocol(new RouteTable(Map.of(
            "model-a", new ModelRoute("model-a", "model-a", List.of(), "x"),
            "model-b", new ModelRoute("model-b", "served-b", List.of(), "x")), Map.of(), 1000, 100, 0), SALTS);

    private ParsedRequest chat(String json) {
        return protocol.parse(Operation.CHAT_COMPLETIONS, ANYONE, json.getBytes(StandardCharsets.UTF_8));
    }

    /** The upstream body less the tenant's cache salt, which always comes first (see {@code ScopedFieldsTest}). */
    private static String body(ParsedRequest request, String upstreamModel) {
        String body = request.upstreamBody(upstreamModel, true).toString(StandardCharsets.UTF_8);
        assertThat(body).startsWith("{" + SALT);
        return "{" + body.substring(1 + SALT.length());
    }

    @Test
    void readsTheFieldsTheGatewayNeeds() {
        ParsedRequest r = chat("{\"model\":\"model-a\",\"stream\":true,\"max_tokens\":7,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"12345678\"}]}");

        assertThat(r.model()).isEqualTo("model-a");
        assertThat(r.stream()).isTrue();
        assertThat(r.maxTokens()).isEqualTo(7);
        assertThat(r.clientWantsUsage()).isFalse();
        assertThat(r.estimatedPromptTokens()).isEqualTo(TokenEstimator.promptTokens(12, 1, 0));
    }

    @Test
    void maxCompletionTokensWinsOverMaxTokens() {
        ParsedRequest r = chat("{\"model\":\"model-a\",\"max_tokens\":9,\"max_completion_tokens\":3,\"messages\":[]}");
        assertThat(r.maxTokens()).isEqualTo(3);
    }

    @Test
    void plainRequestForTheSameModelIsForwardedByteForByteBesidesTheCacheSalt() {
        String raw = "{ \"model\" : \"model-a\", \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}], \"x\": {\"y\":[1,2]} }";
        assertThat(body(chat(raw), "model-a")).isEqualTo(raw);
    }

    @Test
    void rewritesTheModelNameOnly() {
        String raw = "{\"messages\":[],\"model\":\"model-b\",\"temperature\":0.5}";
        assertThat(body(chat(raw), "served-b")).isEqualTo("{\"messages\":[],\"model\":\"served-b\",\"temperature\":0.5}");
    }

    @Test
    void streamsAskForUsageWhenTheClientDidNot() {
        ParsedRequest absent = chat("{\"model\":\"model-a\",\"stream\":true,\"messages\":[]}");
        ParsedRequest falseFlag = chat("{\"model\":\"model-a\",\"stream\":true,\"stream_options\":{\"include_usage\":false},\"messages\":[]}");
        ParsedRequest emptyOptions = chat("{\"model\":\"model-a\",\"stream\":true,\"stream_options\":{},\"messages\":[]}");
        ParsedRequest otherOption = chat("{\"model\":\"model-a\",\"stream\":true,\"stream_options\":{\"x\":1},\"messages\":[]}");

        assertThat(body(absent, "model-a")).isEqualTo(
                "{\"stream_options\":{\"include_usage\":true},\"model\":\"model-a\",\"stream\":true,\"messages\":[]}");
        assertThat(body(falseFlag, "model-a")).contains("\"stream_options\":{\"include_usage\":true}");
        assertThat(body(emptyOptions, "model-a")).contains("\"stream_options\":{\"include_usage\":true}");
        assertThat(body(otherOption, "model-a")).contains("\"stream_options\":{\"include_usage\":true,\"x\":1}");
    }

    @Test
    void streamsWhoseClientAskedForUsageAreNotTouched() {
        String raw = "{\"model\":\"model-a\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}";
        ParsedRequest r = chat(raw);
        assertThat(r.clientWantsUsage()).isTrue();
        assertThat(body(r, "model-a")).isEqualTo(raw);
    }

    @Test
    void modelAndUsagePatchesCombine() {
        ParsedRequest r = chat("{\"model\":\"model-b\",\"stream\":true,\"messages\":[]}");
        assertThat(body(r, "served-b")).isEqualTo(
                "{\"stream_options\":{\"include_usage\":true},\"model\":\"served-b\",\"stream\":true,\"messages\":[]}");
    }

    @Test
    void unicodeBeforeTheModelKeepsOffsetsRight() {
        String raw = "{\"messages\":[{\"role\":\"user\",\"content\":\"héllo wörld ✓\"}],\"model\":\"model-b\"}";
        assertThat(body(chat(raw), "served-b")).isEqualTo(raw.replace("model-b", "served-b"));
    }

    @Test
    void malformedAndMistypedBodiesAreCatalogued() {
        assertError("{\"model\":", GatewayError.MalformedJson.class);
        assertError("[1,2]", GatewayError.MalformedJson.class);
        assertError("{\"model\":\"model-a\",\"messages\":[]} trailing", GatewayError.MalformedJson.class);
        assertError("{\"model\":42,\"messages\":[]}", GatewayError.InvalidType.class);
        assertError("{\"model\":\"model-a\",\"stream\":\"yes\",\"messages\":[]}", GatewayError.InvalidType.class);
        assertError("{\"model\":\"model-a\",\"max_tokens\":0,\"messages\":[]}", GatewayError.InvalidValue.class);
        assertError("{\"model\":\"model-a\",\"messages\":\"hi\"}", GatewayError.InvalidType.class);
        assertError("{\"messages\":[]}", GatewayError.MissingField.class);
        assertError("{\"model\":\"model-a\"}", GatewayError.MissingField.class);
    }

    @Test
    void unknownAndForbiddenModelsLookTheSame() {
        byte[] raw = "{\"model\":\"model-b\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> protocol.parse(Operation.CHAT_COMPLETIONS, ONLY_A, raw))
                .isInstanceOfSatisfying(GatewayFailure.class,
                        f -> assertThat(f.error()).isEqualTo(new GatewayError.ModelNotFound("model-b")));
        assertThat(protocol.modelList(ONLY_A).toString()).contains("model-a").doesNotContain("model-b");
    }

    @Test
    void embeddingsAndCompletionsSizeTheirInput() {
        ParsedRequest embed = protocol.parse(Operation.EMBEDDINGS, ANYONE,
                "{\"model\":\"model-a\",\"input\":[\"abcd\",\"efgh\"]}".getBytes(StandardCharsets.UTF_8));
        ParsedRequest tokens = protocol.parse(Operation.COMPLETIONS, ANYONE,
                "{\"model\":\"model-a\",\"prompt\":[[1,2,3],[4]]}".getBytes(StandardCharsets.UTF_8));

        assertThat(embed.estimatedPromptTokens()).isEqualTo(2);
        assertThat(embed.stream()).isFalse();
        assertThat(tokens.estimatedPromptTokens()).isEqualTo(4);
    }

    private void assertError(String json, Class<? extends GatewayError> type) {
        assertThatThrownBy(() -> chat(json)).isInstanceOfSatisfying(GatewayFailure.class,
                f -> assertThat(f.error()).isInstanceOf(type));
    }
}
