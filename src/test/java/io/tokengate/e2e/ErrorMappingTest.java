package io.tokengate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.UnexpectedStatusCodeException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every failure reaches the official SDK as the matching exception, with OpenAI's error fields. */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class ErrorMappingTest {
    private final OpenAIClient client = Gateway.sdk();

    private static ChatCompletionCreateParams.Builder chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("hello").maxCompletionTokens(4);
    }

    private static ChatCompletionCreateParams simulate(String model, Map<String, Object> behaviour) {
        return chat(model).putAdditionalBodyProperty("sim", JsonValue.from(behaviour)).build();
    }

    @Test
    void unknownModelIsNotFound() {
        assertThatThrownBy(() -> client.chat().completions().create(chat("no-such-model").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertCode(e, 404, "model_not_found"));
    }

    @Test
    void mistypedFieldIsABadRequestNamingTheParam() {
        ChatCompletionCreateParams params = chat("sim-llama").putAdditionalBodyProperty("stream", JsonValue.from("yes")).build();
        assertThatThrownBy(() -> client.chat().completions().create(params))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertCode(e, 400, "invalid_type");
                    assertThat(e.param()).hasValue("stream");
                });
    }

    @Test
    void bodyOverTheLimitIsRequestTooLarge() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("sim-llama")
                .addUserMessage("x".repeat(70_000)).build();
        assertThatThrownBy(() -> client.chat().completions().create(params))
                .isInstanceOfSatisfying(UnexpectedStatusCodeException.class, e -> assertCode(e, 413, "request_too_large"));
    }

    @Test
    void refusedConnectionIsABadGateway() {
        assertThatThrownBy(() -> client.chat().completions().create(chat("dead-llama").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> assertCode(e, 502, "upstream_error"));
    }

    @Test
    void backend5xxIsABadGateway() {
        assertThatThrownBy(() -> client.chat().completions().create(simulate("sim-llama", Map.of("fail", 500))))
                .isInstanceOfSatisfying(InternalServerException.class, e -> assertCode(e, 502, "upstream_error"));
    }

    @Test
    void backendGarbageIsABadGateway() {
        assertThatThrownBy(() -> client.chat().completions().create(simulate("sim-llama", Map.of("garbage", true))))
                .isInstanceOfSatisfying(InternalServerException.class, e -> assertCode(e, 502, "upstream_error"));
    }

    @Test
    void slowBackendIsAGatewayTimeout() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.chat().completions().create(simulate("slow-llama", Map.of("ttft_ms", 5000))))
                .isInstanceOfSatisfying(InternalServerException.class, e -> assertCode(e, 504, "upstream_timeout"));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4000);
    }

    @Test
    void backendClientErrorsPassThroughAsSent() {
        assertThatThrownBy(() -> client.chat().completions().create(simulate("sim-llama", Map.of("fail", 400))))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void backendOverloadWithNoOtherEndpointIsUnavailableWithItsRetryAfter() {
        assertThatThrownBy(() -> client.chat().completions().create(simulate("sim-llama", Map.of("fail", 429, "retry_after", 3))))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertCode(e, 503, "upstream_overloaded");
                    assertThat(e.headers().values("retry-after")).containsExactly("3");
                });
    }

    private static void assertCode(OpenAIServiceException e, int status, String code) {
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.code()).hasValue(code);
        assertThat(e.type()).isPresent();
    }
}
