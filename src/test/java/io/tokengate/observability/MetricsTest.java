package io.tokengate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.testing.Admin;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A known set of calls (two tenants, streamed and not, one 429, one backend failure), then the scraped metrics:
 * token counters equal the usage the clients saw, histogram counts equal request counts, labels stay bounded.
 */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class MetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Set<String> BOUNDED_LABELS = Set.of("tenant", "model", "pool", "endpoint", "status_class",
            "gen_ai_operation_name", "gen_ai_request_model", "gen_ai_token_type", "error_type", "decision", "reason",
            "state", "outcome", "le", "quantile");

    record Sample(String name, Map<String, String> labels, double value) {}

    @Test
    void scrapedMetricsMatchWhatClientsSaw() throws Exception {
        String a = Admin.limitedTenantWithKey("metrics-a", "{}");
        String b = Admin.limitedTenantWithKey("metrics-b", "{\"requests_per_minute\":3}");
        long[] seenA = new long[2];
        for (int i = 0; i < 2; i++) {
            add(seenA, usage(JSON.readTree(chat(a, false, 5, "").body())));
        }
        add(seenA, streamUsage(chat(a, true, 7, ",\"stream_options\":{\"include_usage\":true}").body()));
        long[] seenB = new long[2];
        add(seenB, usage(JSON.readTree(chat(b, false, 3, "").body())));
        assertThat(chat(b, false, 3, ",\"sim\":{\"fail\":500}").statusCode()).isEqualTo(502);
        add(seenB, usage(JSON.readTree(chat(b, false, 4, "").body())));
        assertThat(chat(b, false, 3, "").statusCode()).isEqualTo(429);

        List<Sample> samples = settled(); // metrics are recorded just after the response is sent
        assertThat(value(samples, "gen_ai_client_token_usage_sum", "tenant", "metrics-a", "gen_ai_token_type", "input")).isEqualTo(seenA[0]);
        assertThat(value(samples, "gen_ai_client_token_usage_sum", "tenant", "metrics-a", "gen_ai_token_type", "output")).isEqualTo(seenA[1]);
        assertThat(value(samples, "gen_ai_client_token_usage_sum", "tenant", "metrics-b", "gen_ai_token_type", "input")).isEqualTo(seenB[0]);
        assertThat(value(samples, "gen_ai_client_token_usage_sum", "tenant", "metrics-b", "gen_ai_token_type", "output")).isEqualTo(seenB[1]);
        assertThat(value(samples, "gen_ai_client_token_usage_count", "tenant", "metrics-a", "gen_ai_token_type", "output")).isEqualTo(3);

        assertThat(value(samples, "gen_ai_client_operation_duration_seconds_count", "tenant", "metrics-a")).isEqualTo(3);
        assertThat(value(samples, "gen_ai_client_operation_duration_seconds_count", "tenant", "metrics-b")).isEqualTo(4);
        assertThat(value(samples, "gen_ai_client_operation_duration_seconds_count", "tenant", "metrics-b",
                "status_class", "4xx", "error_type", "rate_limit_exceeded")).isEqualTo(1);
        assertThat(value(samples, "tokengate_requests_total", "tenant", "metrics-b", "status_class", "2xx")).isEqualTo(2);
        assertThat(value(samples, "tokengate_requests_total", "tenant", "metrics-b", "status_class", "5xx")).isEqualTo(1);
        assertThat(value(samples, "tokengate_requests_total", "tenant", "metrics-b", "status_class", "4xx")).isEqualTo(1);
        assertThat(value(samples, "tokengate_admission_decisions_total", "tenant", "metrics-b", "decision", "admitted")).isEqualTo(3);
        assertThat(value(samples, "tokengate_admission_decisions_total", "tenant", "metrics-b", "decision", "rejected",
                "reason", "rate_limit_exceeded")).isEqualTo(1);
        assertThat(value(samples, "gen_ai_server_time_to_first_token_seconds_count", "gen_ai_request_model", "sim-llama")).isPositive();
        assertThat(value(samples, "gen_ai_server_time_per_output_token_seconds_count", "gen_ai_request_model", "sim-llama")).isPositive();
        assertThat(value(samples, "tokengate_gateway_overhead_seconds_count", "tenant", "metrics-a")).isEqualTo(3);
        // the 2xx requests of metrics-b were answered by the backend; the 502 and the 429 had no backend answer
        assertThat(value(samples, "tokengate_gateway_overhead_seconds_count", "tenant", "metrics-b")).isEqualTo(2);

        for (Sample s : samples) {
            if (s.name().startsWith("gen_ai_") || s.name().startsWith("tokengate_")) {
                assertThat(BOUNDED_LABELS).as("labels of " + s.name()).containsAll(s.labels().keySet());
                assertThat(s.labels().values()).allSatisfy(v -> assertThat(v).doesNotStartWith("sk-tg-").doesNotStartWith("req_"));
            }
        }
    }

    private static void add(long[] total, long[] usage) {
        total[0] += usage[0];
        total[1] += usage[1];
    }

    private static long[] usage(JsonNode body) {
        JsonNode u = body.get("usage");
        return new long[] {u.get("prompt_tokens").asLong(), u.get("completion_tokens").asLong()};
    }

    private static long[] streamUsage(String sse) throws Exception {
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: {") && line.contains("\"usage\":{")) {
                return usage(JSON.readTree(line.substring(6)));
            }
        }
        throw new AssertionError("no usage in stream: " + sse);
    }

    private static double value(List<Sample> samples, String name, String... labels) {
        double sum = 0;
        boolean found = false;
        outer:
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            for (int i = 0; i < labels.length; i += 2) {
                if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                    continue outer;
                }
            }
            sum += s.value();
            found = true;
        }
        assertThat(found).as(name + " " + String.join(",", labels)).isTrue();
        return sum;
    }

    /** A scrape once all 7 requests of the two tenants are counted (each is recorded right after its response). */
    private static List<Sample> settled() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            List<Sample> samples = scrape();
            double counted = samples.stream().filter(x -> x.name().equals("tokengate_requests_total")
                    && x.labels().getOrDefault("tenant", "").startsWith("metrics-")).mapToDouble(Sample::value).sum();
            if (counted >= 7 || System.nanoTime() > deadline) {
                Thread.sleep(50); // the last request's other meters are recorded in the same call
                return scrape();
            }
            Thread.sleep(20);
        }
    }

    static List<Sample> scrape() {
        List<Sample> samples = new ArrayList<>();
        for (String raw : Gateway.management("/q/metrics").body().split("\n")) {
            int exemplar = raw.indexOf(" # {"); // trace exemplars follow some samples when tracing is on
            String line = exemplar < 0 ? raw : raw.substring(0, exemplar);
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
        return samples;
    }

    private static HttpResponse<String> chat(String key, boolean stream, int maxTokens, String extra) {
        String body = "{\"model\":\"sim-llama\",\"stream\":" + stream + ",\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"count my tokens please\"}]" + extra + "}";
        return Gateway.send(HttpRequest.newBuilder(URI.create(Gateway.baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
