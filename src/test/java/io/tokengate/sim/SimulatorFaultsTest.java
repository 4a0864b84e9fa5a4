package io.tokengate.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Injected faults: fail, garbage, cut_after, hang, the error rate; and the aborted counter. */
class SimulatorFaultsTest extends SharedSimulatorTest {

    private static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";

    @Test
    void failAnswersTheStatusWithAnOpenAiErrorAndRetryAfter() {
        HttpResponse<String> response = sim.post("/v1/chat/completions", CHAT + ",\"sim\":{\"fail\":429,\"retry_after\":7}}");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).hasValue("7");
        JsonNode error = SimHttp.json(response).get("error");
        assertThat(error.get("message").asText()).isEqualTo("simulated failure");
        assertThat(error.get("type").asText()).isEqualTo("rate_limit_error");
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
        assertThat(sim.sim.stats()).isEqualTo(new SimulatorStats(1, 1, 0, 0));
    }

    @Test
    void failWith503CountsAsAnError() {
        HttpResponse<String> response = sim.post("/v1/embeddings", "{\"model\":\"e\",\"input\":\"x\",\"sim\":{\"fail\":503}}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(SimHttp.json(response).at("/error/type").asText()).isEqualTo("server_error");
        assertThat(sim.sim.stats()).isEqualTo(new SimulatorStats(1, 0, 0, 1));
    }

    @Test
    void garbageIsNotJson() {
        HttpResponse<String> response = sim.post("/v1/chat/completions", CHAT + ",\"sim\":{\"garbage\":true}}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThatThrownBy(() -> SimHttp.JSON.readTree(response.body())).isInstanceOf(IOException.class);
    }

    @Test
    void errorRateOneFailsEveryCompletion() {
        try (SimHttp failing = SimHttp.start(SimulatorSettings.defaults().withErrorRate(1.0))) {
            HttpResponse<String> response = failing.post("/v1/completions", "{\"model\":\"m\",\"prompt\":\"x\"}");

            assertThat(response.statusCode()).isEqualTo(500);
            JsonNode error = SimHttp.json(response).get("error");
            assertThat(error.get("message").asText()).isEqualTo("simulated failure");
            assertThat(error.get("type").asText()).isEqualTo("server_error");
            assertThat(failing.sim.stats()).isEqualTo(new SimulatorStats(1, 0, 0, 1));
        }
    }

    @Test
    void errorRateCanBeChangedLive() {
        sim.send(sim.request("/sim/config").PUT(HttpRequest.BodyPublishers.ofString("{\"error_rate\":1.0}")).build());

        assertThat(sim.post("/v1/chat/completions", CHAT + "}").statusCode()).isEqualTo(500);
        sim.sim.reset();
        assertThat(sim.post("/v1/chat/completions", CHAT + "}").statusCode()).isEqualTo(200);
    }

    @Test
    void cutStreamEndsWithoutFinishReasonOrDone() throws Exception {
        HttpResponse<InputStream> response = sim.http.send(sim.postRequest("/v1/chat/completions",
                CHAT + ",\"stream\":true,\"sim\":{\"cut_after\":3,\"itl_ms\":20}}"), HttpResponse.BodyHandlers.ofInputStream());
        // (with no latency the data and the close arrive together and java.net.http drops the buffered data)

        List<String> lines = new ArrayList<>();
        boolean failed = readLines(response.body(), lines);
        assertThat(failed).as("the truncated chunked body fails the read").isTrue();
        List<String> data = lines.stream().filter(l -> l.startsWith("data: ")).toList();
        assertThat(data).hasSize(4); // role chunk + 3 content chunks
        assertThat(data).noneMatch(l -> l.contains("[DONE]")).noneMatch(l -> l.contains("\"finish_reason\":\"stop\""));
        assertThat(sim.awaitStats(s -> s.errors() == 1)).isEqualTo(new SimulatorStats(1, 0, 0, 1));
    }

    @Test
    void cutNonStreamingAnswerIsTruncated() {
        assertThatThrownBy(() -> sim.http.send(sim.postRequest("/v1/chat/completions",
                CHAT + ",\"sim\":{\"cut_after\":1}}"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(sim.awaitStats(s -> s.errors() == 1).aborted()).isZero();
    }

    @Test
    void hangThenClientAbortCountsExactlyOneAbort() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        CompletableFuture<HttpResponse<String>> pending = client.sendAsync(
                sim.postRequest("/v1/chat/completions", CHAT + ",\"sim\":{\"hang\":true}}"),
                HttpResponse.BodyHandlers.ofString());
        sim.awaitStats(s -> s.requests() == 1);
        SimHttp.sleep(100);
        assertThat(pending).isNotDone();
        assertThat(sim.sim.stats()).isEqualTo(new SimulatorStats(1, 0, 0, 0));

        client.shutdownNow();

        assertThat(sim.awaitStats(s -> s.aborted() >= 1)).isEqualTo(new SimulatorStats(1, 0, 1, 0));
        SimHttp.sleep(200);
        assertThat(sim.sim.stats()).isEqualTo(new SimulatorStats(1, 0, 1, 0));
    }

    @Test
    void abortDuringTimeToFirstTokenCancelsTheAnswer() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        client.sendAsync(sim.postRequest("/v1/chat/completions", CHAT + ",\"sim\":{\"ttft_ms\":300}}"),
                HttpResponse.BodyHandlers.ofString());
        sim.awaitStats(s -> s.requests() == 1);
        SimHttp.sleep(50);

        client.shutdownNow();

        sim.awaitStats(s -> s.aborted() == 1);
        SimHttp.sleep(400);
        assertThat(sim.sim.stats()).isEqualTo(new SimulatorStats(1, 0, 1, 0));
    }

    /** Reads lines until the end or an I/O error; true when the read failed. */
    private static boolean readLines(InputStream body, List<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
