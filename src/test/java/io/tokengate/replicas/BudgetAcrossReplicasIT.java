package io.tokengate.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.tokengate.testing.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Budgets and rate limits hold across two packaged replicas sharing one Redis, under 200 concurrent requests:
 * the tokens served never exceed the budget, and the usage API equals, to the token, what the clients saw.
 */
class BudgetAcrossReplicasIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ReplicaCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new ReplicaCluster(2, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @Test
    void twoHundredConcurrentRequestsNeverOverspendTheBudget() throws Exception {
        long budget = 600; // each request reserves about 10 prompt + 20 completion tokens: about 20 fit
        String key = cluster.tenantWithKey(0, "budget-race", "{\"token_budget\":{\"limit\":" + budget + ",\"period\":\"day\"}}");

        List<HttpResponse<String>> responses = fire(key, 200, 20);
        long ok = responses.stream().filter(r -> r.statusCode() == 200).count();
        long servedTokens = responses.stream().filter(r -> r.statusCode() == 200)
                .mapToLong(r -> JsonPath.from(r.body()).getLong("usage.total_tokens")).sum();

        assertThat(servedTokens).isLessThanOrEqualTo(budget);
        assertThat(ok).isBetween(10L, 25L);
        assertThat(responses).filteredOn(r -> r.statusCode() != 200)
                .allSatisfy(r -> {
                    assertThat(r.statusCode()).isEqualTo(429);
                    assertThat(r.body()).contains("\"code\":\"insufficient_quota\"");
                });
        assertThat(awaitUsage("budget-race", ok).getLong("data[0].total_tokens")).isEqualTo(servedTokens);
    }

    @Test
    void requestsPerMinuteAdmitExactlyNAcrossBothReplicas() throws Exception {
        String key = cluster.tenantWithKey(0, "rpm-race", "{\"requests_per_minute\":10}");

        List<HttpResponse<String>> responses = fire(key, 40, 2);

        assertThat(responses.stream().filter(r -> r.statusCode() == 200).count()).isEqualTo(10);
        assertThat(responses).filteredOn(r -> r.statusCode() == 429)
                .allSatisfy(r -> assertThat(r.body()).contains("rate_limit_exceeded")).hasSize(30);
    }

    /** Sends n requests at once, alternating between the two replicas. */
    private static List<HttpResponse<String>> fire(String key, int n, int maxTokens) throws Exception {
        String body = "{\"model\":\"sim-llama\",\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"spend tokens\"}]}";
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String base = cluster.replica(i % 2).baseUrl();
                futures.add(pool.submit(() -> HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                        .header("content-type", "application/json").header("authorization", "Bearer " + key)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())));
            }
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                responses.add(f.get());
            }
            return responses;
        }
    }

    private static JsonPath awaitUsage(String tenant, long requests) {
        JsonPath usage = Poll.until(requests + " requests of " + tenant + " in the ledger", Duration.ofSeconds(30),
                () -> cluster.admin(0).get("/admin/v1/tenants/" + tenant + "/usage").then().statusCode(200).extract().jsonPath(),
                u -> !u.getList("data").isEmpty() && u.getLong("data[0].requests") >= requests);
        assertThat(usage.getLong("data[0].requests")).isEqualTo(requests);
        return usage;
    }


}
