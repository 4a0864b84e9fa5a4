package io.tokengate.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Non-streaming routes: chat and text completions, embeddings, models, the control endpoints. */
class SimulatorApiTest extends SharedSimulatorTest {

    @Test
    void chatCompletionHasTheOpenAiShapeAndUsage() {
        // "hello world" (11 bytes) + "héllo" (6 bytes) = 17 bytes -> 5 tokens, + 3 per message
        HttpResponse<String> response = sim.post("/v1/chat/completions", """
                {"model":"any-model","messages":[{"role":"system","content":"hello world"},
                 {"role":"user","content":[{"type":"text","text":"héllo"}]}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = SimHttp.json(response);
        assertThat(body.get("id").asText()).startsWith("chatcmpl-");
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.get("created").asLong()).isPositive();
        assertThat(body.get("model").asText()).isEqualTo("any-model");
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText()).isEqualTo(expectedText(16));
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.has("logprobs")).isTrue();
        assertThat(body.get("usage").toString())
                .isEqualTo("{\"prompt_tokens\":11,\"completion_tokens\":16,\"total_tokens\":27}");
        assertThat(sim.sim.stats()).isEqualTo(new SimulatorStats(1, 1, 0, 0));
    }

    @Test
    void maxTokensShortensTheAnswerWithFinishReasonLength() {
        JsonNode body = SimHttp.json(sim.post("/v1/chat/completions", """
                {"model":"m","max_completion_tokens":9,"max_tokens":3,"messages":[{"role":"user","content":"hi"}]}"""));

        assertThat(body.at("/choices/0/message/content").asText()).isEqualTo(" tok0 tok1 tok2");
        assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void simOutputTokensAndNoUsageApplyPerRequest() {
        JsonNode body = SimHttp.json(sim.post("/v1/chat/completions", """
                {"model":"m","messages":[{"role":"user","content":"hi"}],"sim":{"output_tokens":2,"no_usage":true}}"""));

        assertThat(body.at("/choices/0/message/content").asText()).isEqualTo(" tok0 tok1");
        assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(body.has("usage")).isFalse();
    }

    @Test
    void nonStreamingAnswerWaitsForTheWholeGenerationTime() {
        long start = System.nanoTime();
        HttpResponse<String> response = sim.post("/v1/chat/completions", """
                {"model":"m","messages":[{"role":"user","content":"hi"}],"sim":{"ttft_ms":100,"itl_ms":10,"output_tokens":5}}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(150);
    }

    @Test
    void textCompletionAcceptsStringAndArrayPrompts() {
        JsonNode one = SimHttp.json(sim.post("/v1/completions", """
                {"model":"m","prompt":"12345678"}"""));
        JsonNode many = SimHttp.json(sim.post("/v1/completions", """
                {"model":"m","prompt":["abcd","efghi"],"max_tokens":4}"""));
        JsonNode ids = SimHttp.json(sim.post("/v1/completions", """
                {"model":"m","prompt":[1,2,3,4,5]}"""));

        assertThat(one.get("id").asText()).startsWith("cmpl-");
        assertThat(one.get("object").asText()).isEqualTo("text_completion");
        assertThat(one.at("/choices/0/text").asText()).isEqualTo(expectedText(16));
        assertThat(one.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(one.at("/usage/prompt_tokens").asInt()).isEqualTo(2);
        assertThat(many.at("/usage/prompt_tokens").asInt()).isEqualTo(3);
        assertThat(many.at("/usage/total_tokens").asInt()).isEqualTo(7);
        assertThat(many.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(ids.at("/usage/prompt_tokens").asInt()).isEqualTo(5);
    }

    @Test
    void malformedJsonIsAnInvalidRequest() {
        HttpResponse<String> response = sim.post("/v1/chat/completions", "{\"model\": ");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = SimHttp.json(response).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.has("message") && error.has("param") && error.has("code")).isTrue();
        assertThat(sim.sim.stats()).isEqualTo(new SimulatorStats(1, 1, 0, 0));
    }

    @Test
    void embeddingsAsFloatsHaveTheRequestedDimensionAndAreDeterministic() {
        JsonNode body = SimHttp.json(sim.post("/v1/embeddings", """
                {"model":"sim-embed","input":["alpha","beta","alpha"],"dimensions":8}"""));

        assertThat(body.get("object").asText()).isEqualTo("list");
        assertThat(body.get("model").asText()).isEqualTo("sim-embed");
        assertThat(body.get("data")).hasSize(3);
        assertThat(body.at("/data/1/object").asText()).isEqualTo("embedding");
        assertThat(body.at("/data/1/index").asInt()).isEqualTo(1);
        assertThat(body.at("/data/0/embedding")).hasSize(8);
        assertThat(body.at("/data/0/embedding")).isEqualTo(body.at("/data/2/embedding"));
        assertThat(body.at("/data/0/embedding")).isNotEqualTo(body.at("/data/1/embedding"));
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(5); // 2 + 1 + 2
        assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(5);
    }

    @Test
    void embeddingsInBase64AreLittleEndianFloat32OfTheSameValues() {
        JsonNode floats = SimHttp.json(sim.post("/v1/embeddings", """
                {"model":"e","input":"some text"}"""));
        JsonNode base64 = SimHttp.json(sim.post("/v1/embeddings", """
                {"model":"e","input":"some text","encoding_format":"base64"}"""));

        byte[] bytes = Base64.getDecoder().decode(base64.at("/data/0/embedding").asText());
        ByteBuffer decoded = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes.length / Float.BYTES).isEqualTo(64);
        JsonNode expected = floats.at("/data/0/embedding");
        assertThat(expected).hasSize(64);
        for (int i = 0; i < 64; i++) {
            assertThat(decoded.getFloat(i * Float.BYTES)).isEqualTo(expected.get(i).floatValue());
        }
    }

    @Test
    void embeddingsAcceptTokenArrays() {
        JsonNode body = SimHttp.json(sim.post("/v1/embeddings", """
                {"model":"e","input":[[1,2,3],[4,5]],"dimensions":4}"""));

        assertThat(body.get("data")).hasSize(2);
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(5);
    }

    @Test
    void modelsAreListedAndLookedUp() {
        JsonNode list = SimHttp.json(sim.get("/v1/models"));
        HttpResponse<String> one = sim.get("/v1/models/sim-embed");
        HttpResponse<String> missing = sim.get("/v1/models/nope");

        assertThat(list.get("object").asText()).isEqualTo("list");
        assertThat(list.get("data").findValuesAsText("id")).containsExactly("sim-llama", "sim-embed");
        assertThat(list.at("/data/0/object").asText()).isEqualTo("model");
        assertThat(list.at("/data/0/owned_by").asText()).isEqualTo("tokengate-sim");
        assertThat(list.at("/data/0/created").asLong()).isPositive();
        assertThat(SimHttp.json(one).get("id").asText()).isEqualTo("sim-embed");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(SimHttp.json(missing).at("/error/code").asText()).isEqualTo("model_not_found");
    }

    @Test
    void lastRequestReturnsTheRawBodyAndHeaders() {
        String raw = "{\"model\":\"m\",  \"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"extra\":{\"k\":1}}";
        sim.send(sim.request("/v1/chat/completions").header("Content-Type", "application/json")
                .header("X-Trace", "abc").POST(java.net.http.HttpRequest.BodyPublishers.ofString(raw)).build());

        JsonNode last = SimHttp.json(sim.get("/sim/last-request"));
        assertThat(last.get("method").asText()).isEqualTo("POST");
        assertThat(last.get("path").asText()).isEqualTo("/v1/chat/completions");
        assertThat(last.get("body").asText()).isEqualTo(raw);
        assertThat(last.at("/headers/X-Trace").asText()).isEqualTo("abc");
    }

    @Test
    void statsResetAndConfigEndpointsWork() {
        sim.post("/v1/completions", "{\"model\":\"m\",\"prompt\":\"x\"}");
        assertThat(SimHttp.json(sim.get("/sim/stats")).toString())
                .isEqualTo("{\"requests\":1,\"completed\":1,\"aborted\":0,\"errors\":0,\"streamed_tokens\":0,"
                        + "\"in_flight\":0,\"wakes\":0,\"health_checks\":0,\"prefix_cache_queries\":1,"
                        + "\"prefix_cache_hits\":0,\"prefix_cache_hit_blocks\":0}");

        HttpResponse<String> config = sim.send(sim.request("/sim/config")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"output_tokens\":3}")).build());
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(SimHttp.json(sim.post("/v1/completions", "{\"model\":\"m\",\"prompt\":\"x\"}"))
                .at("/usage/completion_tokens").asInt()).isEqualTo(3);

        HttpResponse<String> reset = sim.post("/sim/reset", "");
        assertThat(reset.statusCode()).isEqualTo(204);
        assertThat(sim.sim.stats()).isEqualTo(new SimulatorStats(0, 0, 0, 0));
        assertThat(SimHttp.json(sim.post("/v1/completions", "{\"model\":\"m\",\"prompt\":\"x\"}"))
                .at("/usage/completion_tokens").asInt()).isEqualTo(16);
    }

    static String expectedText(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(" tok").append(i);
        }
        return sb.toString();
    }
}
