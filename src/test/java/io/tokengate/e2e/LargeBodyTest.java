package io.tokengate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.errors.UnexpectedStatusCodeException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Bodies the gateway will not use reach the client as an error it can read: the rest of the upload is discarded
 * before the answer, so clients that write their whole body first (the official SDKs) get the status and the
 * OpenAI error, not a reset connection (and do not retry).
 */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class LargeBodyTest {
    private static final int SIXTEEN_MIB = 16 << 20;
    private final OpenAIClient client = Gateway.sdk();

    @Test
    void theOfficialSdkGetsRequestTooLargeForA16MiBBody() {
        ChatCompletionCreateParams huge = ChatCompletionCreateParams.builder().model("sim-llama")
                .addUserMessage("x".repeat(SIXTEEN_MIB)).build();
        assertThatThrownBy(() -> client.chat().completions().create(huge))
                .isInstanceOfSatisfying(UnexpectedStatusCodeException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(413);
                    assertThat(e.code()).hasValue("request_too_large");
                });

        ChatCompletion fine = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("sim-llama").addUserMessage("hello").maxCompletionTokens(4).build());
        assertThat(fine.choices()).isNotEmpty();
    }

    @Test
    void aLargeBodyWithAnUnknownKeyGetsItsReadable401() {
        HttpResponse<String> answer = Gateway.send(HttpRequest.newBuilder(URI.create(Gateway.baseUrl()
                        + "/v1/chat/completions")).header("content-type", "application/json")
                .header("authorization", "Bearer sk-tg-unknown00000-" + "x".repeat(43))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"sim-llama\",\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"" + "x".repeat(SIXTEEN_MIB) + "\"}]}")).build());
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).contains("\"code\":\"invalid_api_key\"");
    }
}
