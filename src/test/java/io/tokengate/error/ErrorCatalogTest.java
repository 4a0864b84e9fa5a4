package io.tokengate.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.error.GatewayError.*;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorCatalogTest {

    @Test
    void mapsEachErrorToItsStatusAndCode() {
        assertThat(code(new MalformedJson("x"))).isEqualTo("400 invalid_json");
        assertThat(code(new MissingField("model"))).isEqualTo("400 missing_required_parameter");
        assertThat(code(new ModelNotFound("m"))).isEqualTo("404 model_not_found");
        assertThat(code(new RequestTooLarge(10))).isEqualTo("413 request_too_large");
        assertThat(code(new Unauthenticated())).isEqualTo("401 invalid_api_key");
        assertThat(code(new UpstreamUnreachable("p/0"))).isEqualTo("502 upstream_error");
        assertThat(code(new UpstreamFailed("p/0", 503))).isEqualTo("502 upstream_error");
        assertThat(code(new UpstreamTimedOut("p/0", "idle"))).isEqualTo("504 upstream_timeout");
        assertThat(code(new NoHealthyBackend("m", "all endpoints down", 5))).isEqualTo("503 no_healthy_backend");
        assertThat(code(new MethodNotAllowed("GET", "/v1/x"))).isEqualTo("405 method_not_allowed");
    }

    @Test
    void unavailableBackendsTellTheClientWhenToRetry() {
        assertThat(ErrorCatalog.describe(new NoHealthyBackend("m", "cold start deadline passed", 7)).headers())
                .containsEntry("retry-after", "7");
        ErrorBody overloaded = ErrorCatalog.describe(new UpstreamOverloaded("p/1", 0));
        assertThat(overloaded.status() + " " + overloaded.code()).isEqualTo("503 upstream_overloaded");
        assertThat(overloaded.headers()).containsEntry("retry-after", "1");
    }

    @Test
    void paramNamesTheOffendingField() {
        assertThat(ErrorCatalog.describe(new InvalidType("max_tokens", "an integer")).param()).isEqualTo("max_tokens");
    }

    @Test
    void internalsNeverReachTheMessage() {
        ErrorBody body = ErrorCatalog.describe(new Internal("NullPointerException at secret.Place"));
        assertThat(body.message()).doesNotContain("NullPointer").doesNotContain("secret");
        assertThat(ErrorCatalog.describe(new UpstreamUnreachable("10.0.0.7:8000")).message()).doesNotContain("10.0.0.7");
    }

    @Test
    void rendersOpenAiJsonAndSseEvents() {
        ErrorBody body = ErrorCatalog.describe(new MissingField("mo\"del"));
        assertThat(body.toJson()).isEqualTo("{\"error\":{\"message\":\"Missing required parameter: 'mo\\\"del'.\","
                + "\"type\":\"invalid_request_error\",\"param\":\"mo\\\"del\",\"code\":\"missing_required_parameter\"}}");
        assertThat(body.toSseEvent()).startsWith("data: {\"error\":").endsWith("}}\n\n");
        assertThat(List.of(body.toJson())).allSatisfy(json -> assertThat(json).doesNotContain("\n"));
    }

    private static String code(GatewayError error) {
        ErrorBody body = ErrorCatalog.describe(error);
        return body.status() + " " + body.code();
    }
}
