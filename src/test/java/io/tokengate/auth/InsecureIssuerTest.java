package io.tokengate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokengate.tenant.OidcBinding;
import io.tokengate.tenant.Tenant;
import io.tokengate.tenant.TenantStore;
import io.tokengate.testing.Admin;
import io.tokengate.testing.CountingServer;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import io.tokengate.testing.TokenForge;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/**
 * Without {@code tokengate.auth.allow-insecure-issuers} (the default; the other tests turn it on for their http
 * Keycloak), a tenant's issuer must be https: the admin API refuses an http issuer with 400, and a tenant record
 * that names one anyway (written before the rule, or to the store directly) gets no token through, and its issuer
 * is never contacted.
 */
@QuarkusTest
@TestProfile(InsecureIssuerTest.HttpsOnly.class)
@WithTestResource(SimulatorResource.class)
class InsecureIssuerTest {
    /** The production default: https issuers only. */
    public static class HttpsOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tokengate.auth.allow-insecure-issuers", "false");
        }
    }

    @Inject
    TenantStore store;

    @Test
    void theAdminApiRefusesAnHttpIssuer() {
        String oidc = "\"oidc\":{\"issuer\":\"http://idp.example.com/realms/x\",\"audience\":\"gw\"}";
        Admin.admin().body("{\"id\":\"plain-idp\",\"allowed_models\":[\"*\"]," + oidc + "}").post("/admin/v1/tenants")
                .then().statusCode(400).body("error.param", is("oidc.issuer")).body("error.code", is("invalid_value"))
                .body("error.message", containsString("https"));
        Admin.admin().body("{\"id\":\"tls-idp\",\"allowed_models\":[\"*\"],"
                + oidc.replace("http://", "https://") + "}").post("/admin/v1/tenants").then().statusCode(201);
        Admin.admin().body("{\"allowed_models\":[\"*\"]," + oidc + "}").put("/admin/v1/tenants/tls-idp")
                .then().statusCode(400).body("error.param", is("oidc.issuer"));
    }

    @Test
    void aStoredHttpIssuerIsNeverContacted() throws IOException {
        try (CountingServer idp = CountingServer.answering(404)) {
            String issuer = idp.baseUrl() + "/realms/plain";
            store.create(new Tenant("stored-plain", "Stored", List.of("*"), null, new OidcBinding(issuer, "plain-gw"),
                    Instant.now())).await().atMost(Duration.ofSeconds(10));
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(issuer);
            claims.setAudience("plain-gw");
            claims.setSubject("someone");
            claims.setIssuedAtToNow();
            claims.setExpirationTimeMinutesInTheFuture(5);
            HttpResponse<String> answer = Gateway.send(HttpRequest.newBuilder(URI.create(Gateway.baseUrl() + "/v1/models"))
                    .header("authorization", "Bearer " + TokenForge.unsigned(claims)).GET().build());
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.body()).contains("\"code\":\"invalid_api_key\"");
            assertThat(idp.hits()).isZero();
        }
    }
}
