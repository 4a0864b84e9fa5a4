package io.tokengate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chat completions through the gateway with the official OpenAI Java SDK, plain and streamed. */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class ChatCompletionsTest {
    private final OpenAIClient client = Gateway.sdk();

    private static ChatCompletionCreateParams.Builder chat(String model, int maxTokens) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello to the gateway")
                .maxCompletionTokens(maxTokens);
    }

    @Test
    void plainCompletionCarriesTheBackendsAnswerAndUsage() {
        ChatCompletion completion = client.chat().completions().create(chat("sim-llama", 5).build());

        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().get(0).message().content()).hasValue(" tok0 tok1 tok2 tok3 tok4");
        assertThat(completion.usage()).isPresent();
        assertThat(completion.usage().get().completionTokens()).isEqualTo(5);
        assertThat(completion.usage().get().promptTokens()).isPositive();
    }

    @Test
    void streamWithoutIncludeUsageShowsNoUsageChunkThoughTheGatewayAskedForIt() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat("sim-llama", 4).build())) {
            stream.stream().forEach(chunks::add);
        }

        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.usage()).isEmpty());
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.choices()).isNotEmpty());
        assertThat(text(chunks)).isEqualTo(" tok0 tok1 tok2 tok3");
        assertThat(Gateway.lastUpstreamRequest()).contains("include_usage");
    }

    @Test
    void streamWithIncludeUsageEndsWithTheUsageChunk() {
        ChatCompletionCreateParams params = chat("sim-llama", 3)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }

        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage()).isPresent();
        assertThat(last.usage().get().completionTokens()).isEqualTo(3);
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.usage()).isEmpty());
    }

    @Test
    void streamChunksReachTheClientAsTheBackendProducesThem() {
        ChatCompletionCreateParams params = chat("sim-llama", 6)
                .putAdditionalBodyProperty("sim", JsonValue.from(Map.of("ttft_ms", 10, "itl_ms", 150))).build();
        List<Long> arrivals = new ArrayList<>();
        long start = System.nanoTime();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> arrivals.add((System.nanoTime() - start) / 1_000_000));
        }

        // Six tokens 150 ms apart: the first chunk must arrive long before the backend produced the last one.
        assertThat(arrivals).hasSizeGreaterThanOrEqualTo(6);
        assertThat(arrivals.get(arrivals.size() - 1) - arrivals.get(0)).isGreaterThanOrEqualTo(600);
    }

    @Test
    void upstreamModelNameIsRewrittenAndUnknownFieldsPassThroughUntouched() {
        ChatCompletionCreateParams params = chat("aliased", 2)
                .putAdditionalBodyProperty("vendor_extension", JsonValue.from(Map.of("keep", "me"))).build();
        client.chat().completions().create(params);

        String forwarded = Gateway.lastUpstreamRequest();
        assertThat(forwarded).contains("upstream-name").doesNotContain("\\\"aliased\\\"");
        assertThat(forwarded).contains("vendor_extension").contains("keep");
    }

    @Test
    void requestIdIsEchoedOrGenerated() {
        var echoed = Gateway.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(Gateway.baseUrl() + "/v1/models"))
                .header("x-request-id", "client-id-42").header("authorization", "Bearer " + Gateway.DEMO_KEY).GET().build());
        var generated = Gateway.request("GET", "/v1/models");

        assertThat(echoed.headers().firstValue("x-request-id")).hasValue("client-id-42");
        assertThat(generated.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
    }

    private static String text(List<ChatCompletionChunk> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
        return text.toString();
    }
}
