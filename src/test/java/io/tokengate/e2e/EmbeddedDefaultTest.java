package io.tokengate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The embedded default of the README run command: the built-in simulator inside the gateway, nothing else. */
@QuarkusTest
@TestProfile(EmbeddedDefaultTest.Embedded.class)
class EmbeddedDefaultTest {

    public static class Embedded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tokengate.simulator.enabled", "true",
                    "tokengate.simulator.port", String.valueOf(SimulatorResource.unusedPort()));
        }
    }

    @Test
    void servesACompletionFromTheBuiltInSimulator() {
        ChatCompletion completion = Gateway.sdk().chat().completions().create(ChatCompletionCreateParams.builder()
                .model("sim-llama").addUserMessage("hello").maxCompletionTokens(2).build());

        assertThat(completion.choices().get(0).message().content()).hasValue(" tok0 tok1");
        assertThat(completion.model()).isEqualTo("sim-llama");
    }
}
