package io.tokengate.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Instance-wide controls: fail next N, fail all, hang all, live latencies, the in-flight gauge, reset. */
class SimulatorControlsTest extends SharedSimulatorTest {

    private static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";

    @Test
    void failNextCountsDownThenRecovers() {
        sim.sim.failNext(2, 503);
        assertThat(sim.sim.failNextRemaining()).isEqualTo(2);

        HttpResponse<String> first = sim.post("/v1/chat/completions", CHAT);
        HttpResponse<String> second = sim.post("/v1/completions", "{\"model\":\"m\",\"prompt\":\"x\"}");
        HttpResponse<String> third = sim.post("/v1/chat/completions", CHAT);

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.headers().firstValue("retry-after")).isEmpty();
        JsonNode error = SimHttp.json(first).get("error");
        assertThat(error.get("message").asText()).isEqualTo("simulated failure");
        assertThat(error.get("type").asText()).isEqualTo("server_error");
        assertThat(error.get("code").asText()).isEqualTo("simulated_503");
        assertThat(error.has("param")).isTrue();
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(sim.sim.failNextRemaining()).isZero();
        assertThat(sim.sim.stats()).isEqualTo(new SimulatorStats(3, 1, 0, 2));
        assertThat(sim.sim.requests()).isEqualTo(3);
    }

    @Test
    void failNextWithRetryAfterSendsTheHeader() {
        sim.sim.failNext(1, 429, 7);

        HttpResponse<String> failed = sim.post("/v1/embeddings", "{\"model\":\"e\",\"input\":\"x\"}");

        assertThat(failed.statusCode()).isEqualTo(429);
        assertThat(failed.headers().firstValue("retry-after")).hasValue("7");
        assertThat(SimHttp.json(failed).at("/error/type").asText()).isEqualTo("rate_limit_error");
        assertThat(sim.post("/v1/embeddings", "{\"model\":\"e\",\"input\":\"x\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void failNextThroughConfigEndpoint() {
        HttpResponse<String> config = putConfig("{\"fail_next\":2,\"fail_status\":500,\"fail_retry_after\":3}");

        assertThat(config.statusCode()).isEqualTo(200);
        JsonNode body = SimHttp.json(config);
        assertThat(body.get("fail_next").asInt()).isEqualTo(2);
        assertThat(body.get("fail_status").asInt()).isEqualTo(500);
        assertThat(body.get("fail_retry_after").asInt()).isEqualTo(3);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> failed = sim.post("/v1/chat/completions", CHAT);
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.headers().firstValue("retry-after")).hasValue("3");
        }
        assertThat(sim.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
        assertThat(SimHttp.json(sim.get("/sim/config")).get("fail_next").asInt()).isZero();
    }

    @Test
    void failNextDefaultsTo500AndZeroCancels() {
        putConfig("{\"fail_next\":5}");
        assertThat(sim.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(500);

        putConfig("{\"fail_next\":0}");

        assertThat(sim.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
    }

    @Test
    void failNextLeavesGetRequestsAlone() {
        sim.sim.failNext(1, 500);

        assertThat(sim.get("/v1/models").statusCode()).isEqualTo(200);
        assertThat(sim.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(500);
    }

    @Test
    void failAllFailsEveryRequestUntilStopped() {
        sim.sim.failAll(503);

        for (int i = 0; i < 3; i++) {
            assertThat(sim.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(503);
        }
        HttpResponse<String> models = sim.get("/v1/models");
        assertThat(models.statusCode()).isEqualTo(503);
        assertThat(SimHttp.json(models).at("/error/code").asText()).isEqualTo("simulated_503");
        assertThat(sim.get("/health").statusCode()).as("health is separate").isEqualTo(200);

        sim.sim.failAll(0);

        assertThat(sim.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
        assertThat(sim.sim.stats()).isEqualTo(new SimulatorStats(4, 1, 0, 3));
    }

    @Test
    void failAllThroughConfigEndpointWithRetryAfter() {
        JsonNode config = SimHttp.json(putConfig("{\"fail_status_always\":503,\"fail_retry_after\":2}"));
        assertThat(config.get("fail_status_always").asInt()).isEqualTo(503);

        HttpResponse<String> failed = sim.post("/v1/completions", "{\"model\":\"m\",\"prompt\":\"x\"}");
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(failed.headers().firstValue("retry-after")).hasValue("2");

        assertThat(SimHttp.json(putConfig("{\"fail_status_always\":0}")).get("fail_status_always").asInt()).isZero();
        assertThat(sim.post("/v1/completions", "{\"model\":\"m\",\"prompt\":\"x\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void invalidFaultConfigChangesNothing() {
        assertThat(putConfig("{\"fail_next\":1,\"fail_status\":99}").statusCode()).isEqualTo(400);
        assertThat(putConfig("{\"fail_next\":-1}").statusCode()).isEqualTo(400);
        assertThat(putConfig("{\"hang_all\":\"yes\"}").statusCode()).isEqualTo(400);
        assertThat(putConfig("{\"fail_status\":503}").statusCode()).isEqualTo(400);
        assertThat(putConfig("{\"fail_status_always\":503,\"ttft_ms\":-5}").statusCode()).isEqualTo(400);

        assertThat(sim.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> sim.sim.failNext(1, 700)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.sim.failAll(42)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hangAllHoldsRequestsUntilTheCallerGoesAway() {
        sim.sim.hangAll(true);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        CompletableFuture<HttpResponse<String>> pending = client.sendAsync(
                sim.postRequest("/v1/chat/completions", CHAT), HttpResponse.BodyHandlers.ofString());
        sim.awaitStats(s -> s.requests() == 1);
        SimHttp.sleep(150);
        assertThat(pending).isNotDone();
        assertThat(sim.sim.inFlight()).isEqualTo(1);

        client.shutdownNow();

        assertThat(sim.awaitStats(s -> s.aborted() == 1)).isEqualTo(new SimulatorStats(1, 0, 1, 0));
        assertThat(sim.sim.inFlight()).isZero();
        sim.sim.hangAll(false);
        assertThat(sim.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
    }

    @Test
    void hangAllThroughConfigEndpoint() {
        assertThat(SimHttp.json(putConfig("{\"hang_all\":true}")).get("hang_all").asBoolean()).isTrue();
        HttpRequest request = sim.request("/v1/chat/completions").timeout(Duration.ofMillis(300))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(CHAT)).build();

        assertThatThrownBy(() -> sim.http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.net.http.HttpTimeoutException.class);
        sim.awaitStats(s -> s.aborted() == 1); // the client closed the connection

        putConfig("{\"hang_all\":false}");
        assertThat(sim.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
    }

    @Test
    void setLatenciesAppliesToNonStreamingAnswers() {
        sim.sim.setLatencies(Duration.ofMillis(100), Duration.ofMillis(10));
        assertThat(sim.sim.settings().timeToFirstToken()).isEqualTo(Duration.ofMillis(100));
        JsonNode config = SimHttp.json(sim.get("/sim/config"));
        assertThat(config.get("ttft_ms").asInt()).isEqualTo(100);
        assertThat(config.get("itl_ms").asInt()).isEqualTo(10);

        long start = System.nanoTime();
        HttpResponse<String> response = sim.post("/v1/chat/completions", CHAT); // 16 tokens: 100 + 16 * 10 ms

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(250);
        sim.sim.reset();
        assertThat(sim.sim.settings().timeToFirstToken()).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> sim.sim.setLatencies(Duration.ofMillis(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inFlightCountsRequestsBeingAnswered() throws Exception {
        sim.sim.setLatencies(Duration.ofMillis(400), Duration.ZERO);
        CompletableFuture<HttpResponse<String>> a = sim.http.sendAsync(
                sim.postRequest("/v1/chat/completions", CHAT), HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> b = sim.http.sendAsync(sim.postRequest("/v1/chat/completions",
                "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                HttpResponse.BodyHandlers.ofString());
        sim.awaitStats(s -> s.requests() == 2);

        assertThat(sim.sim.inFlight()).isEqualTo(2);
        assertThat(SimHttp.json(sim.get("/sim/stats")).get("in_flight").asInt()).isEqualTo(2);

        assertThat(a.get().statusCode()).isEqualTo(200);
        assertThat(b.get().statusCode()).isEqualTo(200);
        sim.awaitStats(s -> s.completed() == 2);
        assertThat(sim.sim.inFlight()).isZero();
    }

    @Test
    void resetTurnsEveryControlOff() {
        sim.sim.failNext(5, 500);
        sim.sim.failAll(503);
        sim.sim.hangAll(true);
        sim.sim.failHealth(true);
        sim.sim.sleep();
        sim.sim.setLatencies(Duration.ofSeconds(5), Duration.ofSeconds(1));

        assertThat(sim.post("/sim/reset", "").statusCode()).isEqualTo(204);

        assertThat(sim.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
        assertThat(sim.get("/health").statusCode()).isEqualTo(200);
        JsonNode config = SimHttp.json(sim.get("/sim/config"));
        assertThat(config.get("state").asText()).isEqualTo("ready");
        assertThat(config.get("fail_next").asInt()).isZero();
        assertThat(config.get("fail_status_always").asInt()).isZero();
        assertThat(config.get("hang_all").asBoolean()).isFalse();
        assertThat(config.get("fail_health").asBoolean()).isFalse();
        assertThat(config.get("ttft_ms").asInt()).isZero();
    }

    @Test
    void statsJsonHasEveryCounter() {
        sim.post("/v1/chat/completions", CHAT);
        sim.get("/health");

        JsonNode stats = SimHttp.json(sim.get("/sim/stats"));

        assertThat(stats.toString()).isEqualTo("{\"requests\":1,\"completed\":1,\"aborted\":0,\"errors\":0,"
                + "\"streamed_tokens\":0,\"in_flight\":0,\"wakes\":0,\"health_checks\":1,\"prefix_cache_queries\":1,"
                + "\"prefix_cache_hits\":0,\"prefix_cache_hit_blocks\":0}");
    }

    private static HttpResponse<String> putConfig(String json) {
        return sim.send(sim.request("/sim/config").PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }
}
