package io.tokengate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failures the SDK cannot produce (bad JSON, unknown paths and methods), checked on the wire. */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class RawHttpErrorsTest {

    @Test
    void malformedJson() {
        HttpResponse<String> response = Gateway.post("/v1/chat/completions", "{\"model\": \"sim-llama\", ");
        assertError(response, 400, "invalid_json");
    }

    @Test
    void missingModelAndMissingMessagesNameTheParam() {
        assertError(Gateway.post("/v1/chat/completions", "{\"messages\":[]}"), 400, "missing_required_parameter");
        HttpResponse<String> noMessages = Gateway.post("/v1/chat/completions", "{\"model\":\"sim-llama\"}");
        assertError(noMessages, 400, "missing_required_parameter");
        assertThat(noMessages.body()).contains("\"param\":\"messages\"");
    }

    @Test
    void unknownPathAndWrongMethod() {
        assertError(Gateway.request("GET", "/v1/files"), 404, "unknown_url");
        assertError(Gateway.request("DELETE", "/v1/chat/completions"), 405, "method_not_allowed");
        assertError(Gateway.request("GET", "/v1/models/no-such-model"), 404, "model_not_found");
    }

    @Test
    void pathsOutsideTheApiPointAtV1() {
        HttpResponse<String> noPrefix = Gateway.request("POST", "/chat/completions");
        assertError(noPrefix, 404, "unknown_url");
        assertThat(noPrefix.body()).contains("Did you mean POST /v1/chat/completions?");
        HttpResponse<String> root = Gateway.request("GET", "/");
        assertError(root, 404, "unknown_url");
        assertThat(root.body()).contains("under /v1").doesNotContain("admin URL");
        assertThat(Gateway.request("GET", "/v1/files").body()).doesNotContain("Did you mean");
    }

    /**
     * Metrics (every tenant's usage) and health (every pool's state) are on the management port only: the public
     * port answers them like any unknown path, with or without credentials.
     */
    @Test
    void managementRoutesAreOnTheManagementPortOnly() {
        for (String path : List.of("/q/metrics", "/q/health", "/q/health/ready", "/q/health/live", "/q/health/started",
                "/q", "/q/")) {
            assertError(Gateway.request("GET", path), 404, "unknown_url");
            assertError(Gateway.send(HttpRequest.newBuilder(URI.create(Gateway.baseUrl() + path)).GET().build()), 404,
                    "unknown_url");
        }
        assertThat(Gateway.managementUrl()).isNotEqualTo(Gateway.baseUrl());
        HttpResponse<String> metrics = Gateway.management("/q/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE ");
        for (String path : List.of("/q/health", "/q/health/ready", "/q/health/live")) {
            HttpResponse<String> health = Gateway.management(path);
            assertThat(health.statusCode()).as(path).isEqualTo(200);
            assertThat(health.body()).as(path).contains("\"status\"");
        }
    }

    @Test
    void everyErrorCarriesARequestId() {
        HttpResponse<String> response = Gateway.post("/v1/embeddings", "[]");
        assertError(response, 400, "invalid_json");
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body()).startsWith("{\"error\":{\"message\":").contains("\"code\":\"" + code + "\"")
                .contains("\"type\":").contains("\"param\":");
    }
}
