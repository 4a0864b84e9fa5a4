package io.tokengate.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Server-sent-event streams of chat and text completions. */
class SimulatorStreamingTest extends SharedSimulatorTest {

    @Test
    void chatStreamWithoutUsage() {
        HttpResponse<String> response = sim.post("/v1/chat/completions", """
                {"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}],"sim":{"output_tokens":3}}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
        List<String> events = SimHttp.events(response.body());
        assertThat(events).hasSize(5).last().isEqualTo("[DONE]");
        JsonNode first = SimHttp.json(events.get(0));
        assertThat(first.get("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(first.get("id").asText()).startsWith("chatcmpl-");
        assertThat(first.at("/choices/0/delta").toString()).isEqualTo("{\"role\":\"assistant\",\"content\":\"\"}");
        for (int k = 0; k < 3; k++) {
            JsonNode chunk = SimHttp.json(events.get(k + 1));
            assertThat(chunk.get("id")).isEqualTo(first.get("id"));
            assertThat(chunk.at("/choices/0/delta/content").asText()).isEqualTo(" tok" + k);
            assertThat(chunk.at("/choices/0/finish_reason").isNull()).isEqualTo(k < 2);
            assertThat(chunk.has("usage")).isFalse();
        }
        assertThat(SimHttp.json(events.get(3)).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(sim.sim.stats()).isEqualTo(new SimulatorStats(1, 1, 0, 0));
    }

    @Test
    void chatStreamWithUsageEndsWithAUsageChunkThenDone() {
        HttpResponse<String> response = sim.post("/v1/chat/completions", """
                {"model":"m","stream":true,"stream_options":{"include_usage":true},"max_tokens":2,
                 "messages":[{"role":"user","content":"12345678"}]}""");

        List<String> events = SimHttp.events(response.body());
        assertThat(events).hasSize(5).last().isEqualTo("[DONE]");
        assertThat(SimHttp.json(events.get(2)).at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(SimHttp.json(events.get(2)).get("usage").isNull()).isTrue();
        JsonNode usage = SimHttp.json(events.get(3));
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.get("usage").toString())
                .isEqualTo("{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}");
    }

    @Test
    void noUsageSuppressesTheUsageChunk() {
        HttpResponse<String> response = sim.post("/v1/chat/completions", """
                {"model":"m","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"x"}],"sim":{"output_tokens":2,"no_usage":true}}""");

        List<String> events = SimHttp.events(response.body());
        assertThat(events).hasSize(4).last().isEqualTo("[DONE]");
        assertThat(response.body()).doesNotContain("usage");
    }

    @Test
    void textCompletionStream() {
        HttpResponse<String> response = sim.post("/v1/completions", """
                {"model":"m","stream":true,"prompt":"hello","max_tokens":2}""");

        List<String> events = SimHttp.events(response.body());
        assertThat(events).hasSize(3).last().isEqualTo("[DONE]");
        JsonNode first = SimHttp.json(events.get(0));
        assertThat(first.get("object").asText()).isEqualTo("text_completion");
        assertThat(first.get("id").asText()).startsWith("cmpl-");
        assertThat(first.at("/choices/0/text").asText()).isEqualTo(" tok0");
        assertThat(first.at("/choices/0/finish_reason").isNull()).isTrue();
        assertThat(SimHttp.json(events.get(1)).at("/choices/0/finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void chunksAreSpreadOverTimeWhenThereIsInterTokenLatency() throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = sim.http.send(sim.postRequest("/v1/chat/completions", """
                {"model":"m","stream":true,"messages":[{"role":"user","content":"x"}],
                 "sim":{"ttft_ms":100,"itl_ms":40,"output_tokens":5}}"""), HttpResponse.BodyHandlers.ofInputStream());

        List<Long> arrivals = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("data: ")) {
                    arrivals.add((System.nanoTime() - start) / 1_000_000);
                    lines.add(line);
                }
            }
        }
        assertThat(lines).hasSize(7).last().isEqualTo("data: [DONE]");
        // token k is due at ttft + k * itl after the simulator got the request, so never earlier on our clock
        for (int k = 0; k < 5; k++) {
            assertThat(arrivals.get(k + 1)).as("token %d arrival (ms)", k).isGreaterThanOrEqualTo(100 + 40L * k);
        }
        assertThat(arrivals.get(0)).as("role chunk with the first token").isGreaterThanOrEqualTo(100);
    }

    @Test
    void closingTheStreamMidwayCountsOneAbortAndStopsGenerating() throws Exception {
        HttpResponse<InputStream> response = sim.http.send(sim.postRequest("/v1/chat/completions", """
                {"model":"m","stream":true,"messages":[{"role":"user","content":"x"}],
                 "sim":{"itl_ms":20,"output_tokens":500}}"""), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(reader.readLine()).startsWith("data: ");
        }

        assertThat(sim.awaitStats(s -> s.aborted() == 1)).isEqualTo(new SimulatorStats(1, 0, 1, 0));
        SimHttp.sleep(100);
        assertThat(sim.sim.stats()).isEqualTo(new SimulatorStats(1, 0, 1, 0));
    }

    @Test
    void zeroLatencyStreamsArriveComplete() {
        HttpResponse<String> response = sim.post("/v1/chat/completions", """
                {"model":"m","stream":true,"messages":[{"role":"user","content":"x"}],"sim":{"output_tokens":2000}}""");

        List<String> events = SimHttp.events(response.body());
        assertThat(events).hasSize(2002).last().isEqualTo("[DONE]");
        assertThat(SimHttp.json(events.get(2000)).at("/choices/0/delta/content").asText()).isEqualTo(" tok1999");
    }
}
