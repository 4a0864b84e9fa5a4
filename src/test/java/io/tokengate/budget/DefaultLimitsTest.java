package io.tokengate.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokengate.testing.Admin;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tenants whose record sets no limits get the configured defaults; an explicit empty limits object opts out. */
@QuarkusTest
@TestProfile(DefaultLimitsTest.Defaults.class)
@WithTestResource(SimulatorResource.class)
class DefaultLimitsTest {

    public static class Defaults implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tokengate.limits.tenant-defaults.requests-per-minute", "2");
        }
    }

    private static int chat(String key) {
        return Gateway.send(HttpRequest.newBuilder(URI.create(Gateway.baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"sim-llama\",\"max_tokens\":2,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build()).statusCode();
    }

    @Test
    void defaultsApplyUnlessTheRecordSaysOtherwise() {
        String defaulted = Admin.tenantWithKey("defaulted-co", "[\"*\"]");
        Admin.admin().delete("/admin/v1/tenants/optout-co");
        Admin.admin().body("{\"id\":\"optout-co\",\"allowed_models\":[\"*\"],\"limits\":{}}").post("/admin/v1/tenants")
                .then().statusCode(201);
        String optedOut = Admin.createKey("optout-co", "{\"name\":\"o\"}").path("key");

        assertThat(new int[] {chat(defaulted), chat(defaulted), chat(defaulted)}).containsExactly(200, 200, 429);
        assertThat(new int[] {chat(optedOut), chat(optedOut), chat(optedOut)}).containsExactly(200, 200, 200);
    }
}
