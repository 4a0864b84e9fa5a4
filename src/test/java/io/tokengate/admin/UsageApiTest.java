package io.tokengate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.*;

import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tokengate.testing.Admin;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The usage API reports, to the token, what the clients were served, including cut-short streams. */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class UsageApiTest {

    @Test
    void usageEqualsWhatTheClientsSaw() throws InterruptedException {
        String key = Admin.tenantWithKey("meter-co", "[\"*\"]");
        long seen = 0;
        for (int i = 1; i <= 3; i++) {
            seen += Gateway.sdk(key).chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("sim-llama").addUserMessage("count me " + i).maxCompletionTokens(i).build())
                    .usage().orElseThrow().totalTokens();
        }
        ChatCompletionCreateParams streamed = ChatCompletionCreateParams.builder().model("sim-embed")
                .addUserMessage("stream me").maxCompletionTokens(5)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        try (StreamResponse<ChatCompletionChunk> s = Gateway.sdk(key).chat().completions().createStreaming(streamed)) {
            seen += s.stream().filter(c -> c.usage().isPresent()).mapToLong(c -> c.usage().get().totalTokens()).sum();
        }
        Thread.sleep(200); // settle appends after the response ended

        JsonPath total = Admin.admin().get("/admin/v1/tenants/meter-co/usage").then().statusCode(200).extract().jsonPath();
        assertThat(total.getLong("data[0].requests")).isEqualTo(4);
        assertThat(total.getLong("data[0].total_tokens")).isEqualTo(seen);
        Admin.admin().get("/admin/v1/tenants/meter-co/usage?group_by=model").then()
                .body("data.model", contains("sim-embed", "sim-llama")).body("data.requests", contains(1, 3));
    }

    @Test
    void aStreamCutShortIsRecordedWithTheTokensDelivered() throws InterruptedException {
        String key = Admin.tenantWithKey("cut-co", "[\"*\"]");
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("sim-llama")
                .addUserMessage("cut").maxCompletionTokens(10)
                .putAdditionalBodyProperty("sim", JsonValue.from(Map.of("cut_after", 4, "itl_ms", 5))).build();
        try (StreamResponse<ChatCompletionChunk> s = Gateway.sdk(key).chat().completions().createStreaming(params)) {
            s.stream().forEach(c -> { });
        } catch (RuntimeException expected) {
            // the stream ends with an error event
        }
        Thread.sleep(200);

        Admin.admin().get("/admin/v1/tenants/cut-co/usage").then().statusCode(200)
                .body("data[0].requests", is(1)).body("data[0].completion_tokens", is(4));
    }

    @Test
    void windowsAndBadParameters() {
        Admin.tenantWithKey("window-co", "[\"*\"]");
        Admin.admin().get("/admin/v1/tenants/window-co/usage?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z")
                .then().statusCode(200).body("data[0].requests", is(0));
        Admin.admin().get("/admin/v1/tenants/window-co/usage?group_by=color").then().statusCode(400)
                .body("error.param", is("group_by"));
        Admin.admin().get("/admin/v1/tenants/window-co/usage?from=yesterday").then().statusCode(400)
                .body("error.param", is("from"));
        Admin.admin().get("/admin/v1/tenants/no-such-co/usage").then().statusCode(404);
    }
}
