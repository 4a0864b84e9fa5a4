package io.tokengate.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.testing.Poll;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to a replica in the middle of a long stream: new requests are refused at once (503
 * {@code server_shutting_down}, connection closed; or no connection at all once the server socket is gone), the
 * stream still completes, and the request's usage is settled in the shared ledger before the process exits.
 */
class GracefulShutdownIT {
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

    /** A new connection (a fresh client) after SIGTERM: "refused", or the status and error code it got. */
    private static String newRequestOutcome(String baseUrl, String key, String body) throws InterruptedException {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(baseUrl + "/v1/chat/completions")).header("content-type", "application/json")
                    .header("authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String code = r.body().replaceAll(".*\"code\":\"([a-z_]+)\".*", "$1").strip();
            return r.statusCode() + " " + code;
        } catch (java.io.IOException e) {
            return "refused";
        }
    }

    @Test
    void sigtermLetsTheStreamFinishAndSettles() throws Exception {
        String key = cluster.tenantWithKey(1, "shutdown-co", null);
        String body = "{\"model\":\"sim-llama\",\"stream\":true,\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"long\"}],"
                + "\"sim\":{\"output_tokens\":20,\"itl_ms\":100}}";
        HttpResponse<java.io.InputStream> stream = HTTP.send(HttpRequest.newBuilder(
                URI.create(cluster.replica(0).baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).startsWith("data: ");

        cluster.replica(0).terminate(); // SIGTERM while ~2 s of stream remain
        Poll.until("replica 0 draining", Duration.ofSeconds(30),
                () -> cluster.replica(0).output().contains("shutting down: new requests are refused"));
        assertThat(newRequestOutcome(cluster.replica(0).baseUrl(), key, body))
                .isIn("refused", "503 server_shutting_down");

        String rest = lines.lines().reduce("", (a, b) -> a + b + "\n");
        assertThat(rest).contains("data: [DONE]").doesNotContain("\"error\"");
        assertThat(cluster.replica(0).awaitExit(Duration.ofSeconds(20))).isTrue();

        cluster.admin(1).get("/admin/v1/tenants/shutdown-co/usage").then().statusCode(200)
                .body("data[0].requests", org.hamcrest.Matchers.is(1)) // the refused request was never admitted
                .body("data[0].completion_tokens", org.hamcrest.Matchers.is(20));
    }


}
