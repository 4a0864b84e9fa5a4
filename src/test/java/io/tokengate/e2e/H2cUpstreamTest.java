package io.tokengate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pool configured for HTTP/2 cleartext serves plain and streamed answers like an HTTP/1.1 one. */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class H2cUpstreamTest {

    @Test
    void plainAndStreamedOverH2c() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("h2c-llama")
                .addUserMessage("hello").maxCompletionTokens(3).build();
        var completion = Gateway.sdk().chat().completions().create(params);
        List<String> tokens = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = Gateway.sdk().chat().completions().createStreaming(params)) {
            stream.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().filter(t -> !t.isEmpty()).ifPresent(tokens::add)));
        }

        assertThat(completion.choices().get(0).message().content()).hasValue(" tok0 tok1 tok2");
        assertThat(tokens).containsExactly(" tok0", " tok1", " tok2");
    }
}
