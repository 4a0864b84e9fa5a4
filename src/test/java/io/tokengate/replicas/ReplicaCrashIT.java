package io.tokengate.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.testing.Poll;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A replica killed mid-stream cannot leak its concurrency slot: the lease expires and the tenant is served again. */
class ReplicaCrashIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ReplicaCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new ReplicaCluster(2, Map.of("tokengate.limits.lease", "3s"));
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aKilledReplicasSlotFreesWithinTheLease() throws Exception {
        String key = cluster.tenantWithKey(1, "crash-co", "{\"max_concurrent_requests\":1}");
        HttpResponse<InputStream> stream = send(cluster.replica(0).baseUrl(), key, true);
        assertThat(stream.statusCode()).isEqualTo(200);
        stream.body().read(new byte[64]); // the stream is under way on replica 0, holding the tenant's only slot

        assertThat(send(cluster.replica(1).baseUrl(), key, false).statusCode()).isEqualTo(429);
        cluster.replica(0).kill(); // SIGKILL: no settle, no graceful anything
        long killedAt = System.nanoTime();

        int status = Poll.until("the killed replica's slot freed", Duration.ofSeconds(30),
                () -> send(cluster.replica(1).baseUrl(), key, false).statusCode(), s -> s != 429);
        long freedAfterMillis = (System.nanoTime() - killedAt) / 1_000_000;
        assertThat(status).isEqualTo(200);
        assertThat(freedAfterMillis).isLessThan(3000 + 1500);
    }

    private static HttpResponse<InputStream> send(String base, String key, boolean stream) throws Exception {
        String body = stream
                ? "{\"model\":\"sim-llama\",\"stream\":true,\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\"long\"}],"
                        + "\"sim\":{\"output_tokens\":200,\"itl_ms\":100}}"
                : "{\"model\":\"sim-llama\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"short\"}]}";
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

}
