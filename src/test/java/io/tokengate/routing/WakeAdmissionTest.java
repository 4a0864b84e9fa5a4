package io.tokengate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.testing.Admin;
import io.tokengate.testing.FleetResource;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.Poll;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Admission comes before any shared resource: a tenant that could not be admitted wakes no pool at zero and takes
 * no place in its queue, and one tenant holds at most its share of that queue ({@code glacial-llama}: a pool that
 * does not wake before its 1 s deadline, queue of 4, so a share of 1).
 */
@QuarkusTest
@WithTestResource(FleetResource.class)
class WakeAdmissionTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    PoolWaker waker;

    @Test
    void aTenantOverItsRateGetsItsRefusalAtOnceAndWakesNoPool() {
        String key = Admin.limitedTenantWithKey("spent-co", "{\"requests_per_minute\":1}");
        assertThat(send(key, "trio-llama").statusCode()).isEqualTo(200); // the minute's only request
        long wakesBefore = FleetResource.glacial.wakes();

        long start = System.nanoTime();
        HttpResponse<String> refused = send(key, "glacial-llama");
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertThat(refused.statusCode()).as("refused by its limits, not left to wait for the pool").isEqualTo(429);
        assertThat(refused.body()).contains("\"code\":\"rate_limit_exceeded\"");
        assertThat(ms).as("no wait for the pool's 1 s deadline").isLessThan(900);
        assertThat(waker.waiting("glacial", "spent-co")).isZero();
        assertThat(FleetResource.glacial.wakes()).as("no wake call for a caller that could not be admitted")
                .isEqualTo(wakesBefore);
    }

    @Test
    void oneTenantHoldsAtMostItsShareOfTheWakeQueue() throws Exception {
        String greedy = Admin.limitedTenantWithKey("greedy-co", "{\"requests_per_minute\":100}");
        String other = Admin.limitedTenantWithKey("other-co", "{\"requests_per_minute\":100}");

        CompletableFuture<HttpResponse<String>> waiting = async(greedy, "glacial-llama");
        Poll.until("the first request waits for the pool", Duration.ofSeconds(10),
                () -> waker.waiting("glacial", "greedy-co") == 1);
        HttpResponse<String> overShare = send(greedy, "glacial-llama");
        HttpResponse<String> otherTenant = send(other, "glacial-llama");

        assertThat(overShare.statusCode()).isEqualTo(503);
        assertThat(overShare.body()).contains("no_healthy_backend").contains("share of the cold start queue");
        assertThat(otherTenant.statusCode()).isEqualTo(503);
        assertThat(otherTenant.body()).as("another tenant still got a place and waited").contains("deadline");
        assertThat(waiting.get().statusCode()).isEqualTo(503);
        assertThat(waiting.get().body()).contains("deadline");
    }

    private static HttpResponse<String> send(String key, String model) {
        return Gateway.send(request(key, model));
    }

    private static CompletableFuture<HttpResponse<String>> async(String key, String model) {
        return HTTP.sendAsync(request(key, model), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String key, String model) {
        return HttpRequest.newBuilder(URI.create(Gateway.baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"max_tokens\":6,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}")).build();
    }
}
