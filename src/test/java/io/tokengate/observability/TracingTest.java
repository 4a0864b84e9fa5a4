package io.tokengate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every request leaves one span per pipeline stage, in order, with GenAI attributes; the backend gets the context. */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class TracingTest {
    private static final List<String> STAGES = List.of("match", "authenticate", "parse", "admit", "route", "dispatch",
            "relay", "settle");

    @Inject
    InMemorySpanExporter spans;

    @Test
    void eightStageSpansInOrderWithGenAiAttributesAndTraceparentUpstream() throws Exception {
        spans.reset();
        HttpResponse<String> response = Gateway.post("/v1/chat/completions",
                "{\"model\":\"sim-llama\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"trace me\"}]}");
        assertThat(response.statusCode()).isEqualTo(200);

        List<SpanData> stages = awaitStages();
        assertThat(stages).extracting(SpanData::getName).containsExactlyElementsOf(STAGES);
        String traceId = stages.get(0).getTraceId();
        assertThat(stages).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(traceId));
        assertThat(stages).allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(stages.get(0).getParentSpanId()));

        SpanData relay = stages.get(6);
        assertThat(relay.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("sim-llama");
        assertThat(relay.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("chat");
        assertThat(relay.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isPositive();
        assertThat(relay.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(5L);
        assertThat(relay.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
                .containsExactly("length");

        String upstream = Gateway.lastUpstreamRequest();
        SpanData dispatch = stages.get(5);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"traceparent\":\"00-(\\w{32})-(\\w{16})-0\\d\"")
                .matcher(upstream);
        assertThat(m.find()).as("traceparent sent upstream: " + upstream).isTrue();
        assertThat(m.group(1)).isEqualTo(traceId);
        assertThat(ancestors(m.group(2))).as("the upstream call is the dispatch span or inside it").contains(dispatch.getSpanId());
    }

    @Test
    void streamsGetTheSameStagesAndFinishReason() throws Exception {
        spans.reset();
        HttpResponse<String> response = Gateway.post("/v1/chat/completions",
                "{\"model\":\"sim-llama\",\"stream\":true,\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"s\"}]}");
        assertThat(response.body()).contains("[DONE]");
        List<SpanData> stages = awaitStages();
        assertThat(stages).extracting(SpanData::getName).containsExactlyElementsOf(STAGES);
        assertThat(stages.get(6).getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
                .containsExactly("stop");
    }

    /** The span itself and its ancestors, by id, among the finished spans. */
    private List<String> ancestors(String spanId) {
        java.util.Map<String, SpanData> byId = new java.util.HashMap<>();
        spans.getFinishedSpanItems().forEach(s -> byId.put(s.getSpanId(), s));
        List<String> chain = new java.util.ArrayList<>();
        for (String id = spanId; id != null && chain.size() < 20; id = byId.containsKey(id) ? byId.get(id).getParentSpanId() : null) {
            chain.add(id);
        }
        return chain;
    }

    private List<SpanData> awaitStages() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<SpanData> stages = spans.getFinishedSpanItems().stream().filter(s -> STAGES.contains(s.getName()))
                    .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
            if (stages.size() >= STAGES.size()) {
                return stages;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("stage spans missing: " + spans.getFinishedSpanItems());
    }
}
