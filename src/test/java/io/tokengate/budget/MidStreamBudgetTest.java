package io.tokengate.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.SseException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tokengate.testing.Admin;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A stream without max_tokens reserves a chunk and extends it as it goes; when the budget runs out mid-stream the
 * client gets an insufficient_quota error event, and the ledger holds exactly the tokens delivered.
 */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class MidStreamBudgetTest {

    @Test
    void budgetRunsOutMidStream() throws InterruptedException {
        Admin.admin().delete("/admin/v1/tenants/midstream-co");
        Admin.admin().body("{\"id\":\"midstream-co\",\"allowed_models\":[\"*\"],"
                + "\"limits\":{\"token_budget\":{\"limit\":60,\"period\":\"total\"}}}").post("/admin/v1/tenants").then().statusCode(201);
        String key = Admin.createKey("midstream-co", "{\"name\":\"s\"}").path("key");
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("sim-llama").addUserMessage("go on")
                .putAdditionalBodyProperty("sim", JsonValue.from(Map.of("output_tokens", 200, "itl_ms", 2))).build();
        AtomicInteger tokens = new AtomicInteger();

        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> s = Gateway.sdk(key).chat().completions().createStreaming(params)) {
                s.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().filter(t -> !t.isEmpty())
                        .ifPresent(t -> tokens.incrementAndGet())));
            }
        }).isInstanceOfSatisfying(SseException.class, e -> assertThat(e.code()).hasValue("insufficient_quota"));

        assertThat(tokens.get()).isBetween(20, 59); // cut well before the 200 the backend would have sent
        JsonPath usage = awaitUsage();
        assertThat(usage.getInt("data[0].completion_tokens")).isEqualTo(tokens.get());
        assertThat(usage.getInt("data[0].total_tokens")).isLessThanOrEqualTo(60);
    }

    private static JsonPath awaitUsage() throws InterruptedException {
        JsonPath usage = null;
        for (int i = 0; i < 30 && (usage == null || usage.getInt("data[0].requests") < 1); i++) {
            Thread.sleep(100);
            usage = Admin.admin().get("/admin/v1/tenants/midstream-co/usage").then().extract().jsonPath();
        }
        return usage;
    }
}
