package io.tokengate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.errors.UnauthorizedException;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.tenant.OidcBinding;
import io.tokengate.tenant.Tenant;
import io.tokengate.tenant.TenantStore;
import io.tokengate.testing.CountingServer;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.Keycloak;
import io.tokengate.testing.KeycloakResource;
import io.tokengate.testing.LogCapture;
import io.tokengate.testing.SimulatorResource;
import io.tokengate.testing.TokenForge;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad tokens get 401 {@code invalid_api_key} through the official SDK, whatever is wrong with them: quarkus-oidc
 * rejects bad signatures, {@code alg: none}, expired and not-yet-valid tokens; tokengate rejects unknown issuers
 * without contacting them. None of the tokens appears in the logs (OIDC and auth log at DEBUG here).
 */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
@WithTestResource(KeycloakResource.class)
class OidcRejectionTest {
    private static final Set<String> USED = ConcurrentHashMap.newKeySet();
    private static LogCapture logs;

    @Inject
    TenantStore store;

    @BeforeAll
    static void captureLogs() {
        logs = LogCapture.start();
    }

    @BeforeEach
    void tenants() {
        OidcTenants.ensure(store);
    }

    @AfterAll
    static void noTokenWasLogged() {
        logs.close();
        String captured = logs.text();
        assertThat(captured).contains("OIDC token rejected"); // DEBUG lines of the auth code were captured
        assertThat(USED).hasSizeGreaterThan(5);
        for (String token : USED) {
            assertThat(captured).doesNotContain(token);
            String signature = token.substring(token.lastIndexOf('.') + 1);
            if (signature.length() >= 32) {
                assertThat(captured).doesNotContain(signature);
            }
        }
    }

    private static void rejected(String token) {
        USED.add(token);
        assertThatThrownBy(() -> Gateway.sdk(token).models().list())
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.code()).hasValue("invalid_api_key");
                    assertThat(e.getMessage()).doesNotContain("expired", "signature", "audience", "issuer");
                });
    }

    private static JwtClaims tenantA() {
        JwtClaims claims = TokenForge.claims("tokengate", "tokengate");
        claims.setClaim("tokengate_tenant", "tenant-a");
        return claims;
    }

    @Test
    void expiredToken() {
        JwtClaims claims = tenantA();
        claims.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() - 1200));
        claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 600));
        rejected(TokenForge.signed("tokengate", claims));
    }

    @Test
    void notYetValidToken() {
        JwtClaims claims = tenantA();
        claims.setNotBeforeMinutesInThePast(-10);
        rejected(TokenForge.signed("tokengate", claims));
    }

    @Test
    void wrongAudience() {
        JwtClaims claims = tenantA();
        claims.setAudience("someone-else");
        rejected(TokenForge.signed("tokengate", claims));
        JwtClaims acme = TokenForge.claims("acme", "not-acme-gateway");
        rejected(TokenForge.signed("acme", acme));
    }

    @Test
    void wrongIssuer() {
        JwtClaims claims = tenantA();
        claims.setIssuer(Keycloak.issuer("tokengate") + "/");
        rejected(TokenForge.signed("tokengate", claims));
        JwtClaims acmeIssuer = TokenForge.claims("acme", "acme-gateway"); // acme's issuer, tokengate's key
        rejected(TokenForge.signed("tokengate", acmeIssuer));
    }

    @Test
    void badSignature() {
        rejected(TokenForge.signedWithForeignKey("tokengate", tenantA()));
        rejected(TokenForge.signedWithForeignKey("acme", TokenForge.claims("acme", "acme-gateway")));
    }

    @Test
    void tamperedKeycloakToken() {
        String real = OidcTenants.tenantB();
        String[] parts = real.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"tenant-b\"", "\"tenant-a\"");
        assertThat(payload).contains("\"tenant-a\"");
        USED.add(real);
        rejected(parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
    }

    @Test
    void unsignedToken() {
        rejected(TokenForge.unsigned(tenantA()));
        rejected(TokenForge.unsigned(TokenForge.claims("acme", "acme-gateway")));
    }

    @Test
    void tenantClaimMissingOrNamingNoTenant() {
        rejected(TokenForge.signed("tokengate", TokenForge.claims("tokengate", "tokengate")));
        JwtClaims unknown = tenantA();
        unknown.setClaim("tokengate_tenant", "no-such-tenant");
        rejected(TokenForge.signed("tokengate", unknown));
    }

    @Test
    void unknownIssuerIsNeverContacted() throws IOException {
        try (CountingServer idp = CountingServer.answering(404)) {
            String issuer = idp.baseUrl() + "/realms/evil";
            for (String audience : List.of("tokengate", "acme-gateway", "evil")) {
                JwtClaims claims = tenantA();
                claims.setIssuer(issuer);
                claims.setAudience(audience);
                rejected(TokenForge.signedWithForeignKey("tokengate", claims));
                rejected(TokenForge.unsigned(claims));
            }
            assertThat(idp.hits()).isZero();
        }
    }

    /**
     * A tenant's issuer whose discovery document sends the gateway to another host for its keys (blind SSRF,
     * triggered by an unsigned token naming that issuer): the token gets 401, and the other host is never
     * contacted. The issuer itself is asked for its discovery document, nothing more.
     */
    @Test
    void keysOnAnotherHostAreNeverFetched() throws IOException {
        CountingServer target = CountingServer.answering(500);
        AtomicInteger discovery = new AtomicInteger();
        HttpServer idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String issuer = "http://127.0.0.1:" + idp.getAddress().getPort() + "/realms/redirecting";
        // "localhost" is another host name than the issuer's "127.0.0.1", though it reaches the same machine
        byte[] document = ("{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"http://localhost:"
                + target.port() + "/internal/keys\"}").getBytes(StandardCharsets.UTF_8);
        idp.createContext("/", exchange -> {
            discovery.incrementAndGet();
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, document.length);
            exchange.getResponseBody().write(document);
            exchange.close();
        });
        idp.start();
        try {
            store.create(new Tenant("redirecting", "Redirecting", List.of("*"), null,
                    new OidcBinding(issuer, "redirecting-gw"), Instant.now())).await().atMost(Duration.ofSeconds(10));
            JwtClaims claims = tenantA();
            claims.setIssuer(issuer);
            claims.setAudience("redirecting-gw");
            rejected(TokenForge.unsigned(claims));
            rejected(TokenForge.signedWithForeignKey("tokengate", claims));
            assertThat(discovery.get()).as("the issuer's discovery document was read").isPositive();
            assertThat(target.hits()).isZero();
        } finally {
            idp.stop(0);
            target.close();
        }
    }

    @Test
    void garbageBearers() {
        for (String token : List.of("not-a-jwt", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "x".repeat(17_000))) {
            rejected(token);
        }
    }
}
