package io.tokengate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.SseException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Streams that break: a backend cut mid-stream, and a client that walks away. */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class StreamFaultsTest {
    private final OpenAIClient client = Gateway.sdk();

    private static ChatCompletionCreateParams stream(Map<String, Object> behaviour, int maxTokens) {
        return ChatCompletionCreateParams.builder().model("sim-llama").addUserMessage("stream please")
                .maxCompletionTokens(maxTokens).putAdditionalBodyProperty("sim", JsonValue.from(behaviour)).build();
    }

    @Test
    void backendCutMidStreamEndsWithAnErrorEventNotACleanEnd() {
        List<String> received = new ArrayList<>();
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(stream(Map.of("cut_after", 3), 10))) {
                s.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(received::add)));
            }
        }).isInstanceOfSatisfying(SseException.class, e -> assertThat(e.code()).hasValue("stream_interrupted"));

        assertThat(String.join("", received)).isEqualTo(" tok0 tok1 tok2");
    }

    @Test
    void clientAbortCancelsTheBackendRequest() throws Exception {
        long quiet = System.currentTimeMillis() + 15_000; // requests of earlier tests end (or abort) first
        while (SimulatorResource.simulator().inFlight() > 0 && System.currentTimeMillis() < quiet) {
            Thread.sleep(20);
        }
        long abortedBefore = SimulatorResource.simulator().stats().aborted();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
                stream(Map.of("itl_ms", 200), 100))) {
            Iterator<ChatCompletionChunk> chunks = s.stream().iterator();
            chunks.next();
            chunks.next();
        } // closing the stream drops the connection, with 98 tokens still to come

        long deadline = System.currentTimeMillis() + 15_000; // generous: a loaded 2-core CI machine
        while (SimulatorResource.simulator().stats().aborted() == abortedBefore && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(SimulatorResource.simulator().stats().aborted()).isEqualTo(abortedBefore + 1);
    }

    @Test
    void slowFirstTokenOnAStreamIsAGatewayTimeoutBeforeAnyByte() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("slow-llama")
                .addUserMessage("hi").putAdditionalBodyProperty("sim", JsonValue.from(Map.of("ttft_ms", 3000))).build();
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params)) {
                s.stream().forEach(c -> { });
            }
        }).isInstanceOfSatisfying(com.openai.errors.InternalServerException.class,
                e -> assertThat(e.code()).hasValue("upstream_timeout"));
    }
}
