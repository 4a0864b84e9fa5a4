package io.tokengate.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Once draining (SIGTERM), new requests get 503 server_shutting_down with Connection: close, and readiness is DOWN. */
@QuarkusTest
@TestProfile(DrainingTest.OwnInstance.class)
@WithTestResource(SimulatorResource.class)
class DrainingTest {
    /** A gateway instance of its own: draining cannot be undone. */
    public static class OwnInstance implements QuarkusTestProfile {}

    @Inject
    Draining draining;

    @Test
    void newRequestsAreRefusedAndReadinessGoesDown() {
        String body = "{\"model\":\"sim-llama\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(Gateway.post("/v1/chat/completions", body).statusCode()).isEqualTo(200);
        assertThat(Gateway.management("/q/health/ready").statusCode()).isEqualTo(200);

        draining.begin();

        HttpResponse<String> refused = Gateway.post("/v1/chat/completions", body);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("\"code\":\"server_shutting_down\"");
        assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
        HttpResponse<String> ready = Gateway.management("/q/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("accepting requests");
    }
}
