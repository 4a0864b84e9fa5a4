package io.tokengate.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tokengate.testing.Admin;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.Poll;
import io.tokengate.testing.RedisResource;
import io.tokengate.testing.SimulatorResource;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Redis stopped and started under a running gateway with {@code on-store-failure=reject}: requests fail fast with
 * 503 {@code store_unavailable} while it is down, recover by themselves when it is back, and nothing recorded
 * before is lost.
 */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
@WithTestResource(RedisResource.class)
class RedisOutageTest {

    private static HttpResponse<String> chat(String key) {
        return Gateway.send(HttpRequest.newBuilder(URI.create(Gateway.baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"sim-llama\",\"max_tokens\":3,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build());
    }

    @Test
    void rejectWhileDownRecoverWhenBackLoseNothing() {
        Admin.admin().body("{\"id\":\"outage-co\",\"allowed_models\":[\"*\"],\"limits\":{\"requests_per_minute\":1000}}")
                .post("/admin/v1/tenants").then().statusCode(201);
        String key = Admin.createKey("outage-co", "{\"name\":\"o\"}").path("key");
        for (int i = 0; i < 3; i++) {
            assertThat(chat(key).statusCode()).isEqualTo(200);
        }
        awaitRecordedRequests(3); // the ledger appends after each response

        RedisResource.server().stop();
        long start = System.nanoTime();
        HttpResponse<String> down = chat(key);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("\"code\":\"store_unavailable\"");
        assertThat(tookMillis).isLessThan(3000);
        assertThat(Gateway.management("/q/metrics").body())
                .containsPattern("tokengate_limits_store_failures_total\\{decision=\"reject\"[^}]*} [1-9]");

        RedisResource.server().restart();
        Poll.until("a request served after Redis is back", Duration.ofSeconds(30), () -> chat(key).statusCode(), s -> s == 200);
        assertThat(awaitRecordedRequests(4)).isGreaterThanOrEqualTo(4);
    }

    /** Polls the usage API (the durable ledger) until it shows {@code n} requests of the tenant; returns the count. */
    private static int awaitRecordedRequests(int n) {
        return Poll.until(n + " requests in the ledger", Duration.ofSeconds(20), () -> {
            JsonPath usage = Admin.admin().get("/admin/v1/tenants/outage-co/usage").then().statusCode(200).extract().jsonPath();
            return usage.getList("data").isEmpty() ? 0 : usage.getInt("data[0].requests");
        }, count -> count >= n);
    }
}
