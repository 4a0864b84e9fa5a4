package io.tokengate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import org.junit.jupiter.api.Test;

/** Legacy completions, embeddings and the model list through the gateway with the official SDK. */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class OtherEndpointsTest {
    private final OpenAIClient client = Gateway.sdk();

    @Test
    void completions() {
        Completion completion = client.completions().create(CompletionCreateParams.builder()
                .model("sim-llama").prompt("Once upon a time").maxTokens(3).build());

        assertThat(completion.choices().get(0).text()).isEqualTo(" tok0 tok1 tok2");
        assertThat(completion.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isEqualTo(3));
    }

    @Test
    void embeddingsAsTheSdkRequestsThem() {
        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("sim-embed").input("embed this sentence").dimensions(32).build());

        assertThat(response.data()).hasSize(1);
        assertThat(response.data().get(0).embedding()).hasSize(32);
        assertThat(response.usage().promptTokens()).isPositive();
    }

    @Test
    void modelsListAndRetrieve() {
        var ids = client.models().list().data().stream().map(Model::id).toList();
        Model one = client.models().retrieve("sim-llama");

        assertThat(ids).contains("sim-llama", "sim-embed", "aliased").isSorted();
        assertThat(one.id()).isEqualTo("sim-llama");
        assertThat(one.ownedBy()).isEqualTo("tokengate");
    }
}
