package io.tokengate.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK against the simulator: it must parse every answer and pass "sim" through. */
class SimulatorSdkTest {

    private static SimHttp sim;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        sim = SimHttp.start();
        client = OpenAIOkHttpClient.builder().baseUrl(sim.sim.baseUrl() + "/v1").apiKey("sk-test").maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        sim.close();
    }

    private static ChatCompletionCreateParams.Builder chat() {
        return ChatCompletionCreateParams.builder().model("sim-llama").addUserMessage("Say hello");
    }

    @Test
    void chatCompletion() {
        ChatCompletion completion = client.chat().completions().create(chat().maxCompletionTokens(4).build());

        assertThat(completion.model()).isEqualTo("sim-llama");
        assertThat(completion.choices().get(0).message().content()).hasValue(" tok0 tok1 tok2 tok3");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(4);
    }

    @Test
    void streamedChatCompletionWithUsage() {
        ChatCompletionCreateParams params = chat()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .putAdditionalBodyProperty("sim", JsonValue.from(Map.of("output_tokens", 3))).build();
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            chunks = stream.stream().toList();
        }

        String text = chunks.stream().flatMap(c -> c.choices().stream())
                .map(c -> c.delta().content().orElse("")).reduce("", String::concat);
        assertThat(text).isEqualTo(" tok0 tok1 tok2");
        assertThat(chunks.get(chunks.size() - 1).usage().orElseThrow().totalTokens()).isEqualTo(3 + 3 + 3);
    }

    @Test
    void embeddingsWithTheSdkDefaultEncoding() {
        CreateEmbeddingResponse response = client.embeddings()
                .create(EmbeddingCreateParams.builder().model("sim-embed").input("hello").dimensions(16).build());

        assertThat(response.data()).hasSize(1);
        assertThat(response.data().get(0).embedding()).hasSize(16);
        assertThat(response.usage().promptTokens()).isEqualTo(2);
    }

    @Test
    void sdkDecodesBase64EmbeddingsToTheFloatValues() {
        EmbeddingCreateParams.Builder params = EmbeddingCreateParams.builder().model("sim-embed").input("same text");
        List<Float> base64 = client.embeddings()
                .create(params.encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build())
                .data().get(0).embedding();
        List<Float> floats = client.embeddings()
                .create(params.encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build())
                .data().get(0).embedding();

        assertThat(base64).hasSize(EmbeddingsHandler.DEFAULT_DIMENSIONS).isEqualTo(floats);
    }

    @Test
    void simFailReachesTheSdkAsItsError() {
        ChatCompletionCreateParams params = chat()
                .putAdditionalBodyProperty("sim", JsonValue.from(Map.of("fail", 429))).build();

        assertThatThrownBy(() -> client.chat().completions().create(params)).isInstanceOf(RateLimitException.class);
    }
}
