package io.tokengate.replicas;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import io.tokengate.testing.Poll;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two packaged replicas share one Redis: a key revoked through one fails on the other within a second. */
class RevocationAcrossReplicasIT {
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
    void revokedKeyFailsOnTheOtherReplicaWithinASecond() throws InterruptedException {
        String one = cluster.replica(0).baseUrl();
        String two = cluster.replica(1).baseUrl();
        cluster.admin(0).body("{\"id\":\"replicated\",\"allowed_models\":[\"*\"]}").post("/admin/v1/tenants").then().statusCode(201);
        Response created = cluster.admin(0).body("{\"name\":\"shared\"}").post("/admin/v1/tenants/replicated/keys");
        String key = created.path("key");

        assertThat(chat(two, key)).isEqualTo(200); // the other replica knows the key (and caches it now)
        assertThat(chat(one, key)).isEqualTo(200);

        cluster.admin(0).delete("/admin/v1/tenants/replicated/keys/" + created.path("id")).then().statusCode(200);
        long revokedAt = System.nanoTime();
        int status = Poll.until("the revoked key refused on the other replica", Duration.ofSeconds(30),
                () -> chat(two, key), s -> s != 200);
        long tookMillis = (System.nanoTime() - revokedAt) / 1_000_000;

        assertThat(status).isEqualTo(401);
        assertThat(tookMillis).isLessThan(1000);
    }

    @Test
    void aReplicaSeesTenantsCreatedThroughAnother() {
        cluster.admin(0).body("{\"id\":\"seen-co\",\"allowed_models\":[\"*\"]}")
                .post("/admin/v1/tenants").then().statusCode(201);
        cluster.admin(1).get("/admin/v1/tenants/seen-co").then().statusCode(200);
    }


    private static int chat(String base, String key) {
        return given().baseUri(base).contentType("application/json").header("Authorization", "Bearer " + key)
                .body("{\"model\":\"sim-llama\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}")
                .post("/v1/chat/completions").statusCode();
    }
}
