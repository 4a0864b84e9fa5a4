package io.tokengate.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * One tenant sending 100 bodies of almost 4 MiB at once (400 MB) to a replica with a 256 MiB heap cannot take it down or
 * crowd out another tenant: its bodies beyond its share of the body memory are refused before they are read
 * (429, or 503 when the whole budget is in use), and the other tenant's requests are all served meanwhile.
 */
class BodyMemoryIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final int BODY = 4_000_000;

    @Test
    void aHundredConcurrentLargeBodiesOfOneTenantLeaveTheReplicaServingOthers() throws Exception {
        try (ReplicaCluster cluster = new ReplicaCluster(1, Map.of())) {
            String greedy = cluster.tenantWithKey(0, "greedy", "{\"max_concurrent_requests\":1}");
            String polite = cluster.tenantWithKey(0, "polite", null);
            String url = cluster.replica(0).baseUrl() + "/v1/chat/completions";

            List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
            String large = "{\"model\":\"sim-llama\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\""
                    + "x".repeat(BODY - 100) + "\"}]}";
            for (int i = 0; i < 100; i++) {
                flood.add(HTTP.sendAsync(post(url, greedy, large), HttpResponse.BodyHandlers.ofString()));
            }
            String small = "{\"model\":\"sim-llama\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> served = HTTP.send(post(url, polite, small), HttpResponse.BodyHandlers.ofString());
                assertThat(served.statusCode()).as("the other tenant is served, request " + i).isEqualTo(200);
            }
            for (CompletableFuture<HttpResponse<String>> f : flood) {
                HttpResponse<String> answer = f.get();
                assertThat(answer.statusCode()).as(answer.body()).isIn(200, 429, 503);
                assertThat(answer.body()).contains(answer.statusCode() == 200 ? "\"choices\"" : "\"error\"");
            }
            assertThat(cluster.replica(0).process().isAlive()).isTrue();
            assertThat(HTTP.send(post(url, polite, small), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
            assertThat(cluster.replica(0).output()).doesNotContain("OutOfMemoryError");
        }
    }

    private static HttpRequest post(String url, String key, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .header("authorization", "Bearer " + key).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
