package io.tokengate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.request.Caller;
import io.tokengate.request.Credentials;
import io.tokengate.tenant.TenantStore;
import io.tokengate.testing.Admin;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.KeycloakResource;
import io.tokengate.testing.LogCapture;
import io.tokengate.testing.SimulatorResource;
import io.tokengate.testing.TokenForge;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Valid OIDC tokens from a real Keycloak: who they authenticate as, what they may use, who is an admin. */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
@WithTestResource(KeycloakResource.class)
class OidcAuthenticationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Set<String> USED = ConcurrentHashMap.newKeySet();
    private static LogCapture logs;

    @Inject
    TenantStore store;

    @Inject
    Authenticator authenticator;

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
        assertThat(USED).isNotEmpty();
        for (String token : USED) {
            assertThat(captured).doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
            assertThat(token.length() - token.lastIndexOf('.')).isGreaterThan(32); // every token here is signed
        }
    }

    private static String used(String token) {
        USED.add(token);
        return token;
    }

    private static ChatCompletionCreateParams chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("hello").maxCompletionTokens(4).build();
    }

    private static EmbeddingCreateParams embed(String model) {
        return EmbeddingCreateParams.builder().model(model).input("hello").build();
    }

    private Caller caller(String token) {
        return authenticator.authenticate(new Credentials("Bearer " + token)).await().atMost(WAIT);
    }

    private boolean isAdmin(String token) {
        return authenticator.isAdminToken(new Credentials("Bearer " + token)).await().atMost(WAIT);
    }

    @Test
    void sharedIssuerTokenAuthenticatesAsTheTenantItNames() {
        String token = used(OidcTenants.tenantA());
        var client = Gateway.sdk(token);

        assertThat(client.chat().completions().create(chat("sim-llama")).choices()).hasSize(1);
        assertThat(client.models().list().data().stream().map(Model::id)).containsExactly("sim-llama");
        assertThatThrownBy(() -> client.embeddings().create(embed("sim-embed")))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).hasValue("model_not_found"));

        Caller caller = caller(token);
        assertThat(caller.tenant()).isEqualTo("tenant-a");
        assertThat(caller.keyId()).isNull();
        assertThat(caller.subject()).startsWith("oidc:").hasSizeGreaterThan(5);
        assertThat(caller.allowedModels()).containsExactly("sim-llama");
    }

    @Test
    void anotherTenantOfTheSharedIssuerGetsItsOwnModels() {
        var client = Gateway.sdk(used(OidcTenants.tenantB()));

        assertThat(client.embeddings().create(embed("sim-embed")).data()).isNotEmpty();
        assertThat(client.models().list().data().stream().map(Model::id)).containsExactly("sim-embed");
        assertThatThrownBy(() -> client.chat().completions().create(chat("sim-llama")))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).hasValue("model_not_found"));
    }

    @Test
    void tenantIssuerTokenAuthenticatesAsTheBoundTenant() {
        String token = used(OidcTenants.acme());

        assertThat(Gateway.sdk(token).chat().completions().create(chat("sim-llama")).choices()).hasSize(1);
        assertThat(Gateway.sdk(token).models().list().data().stream().map(Model::id))
                .containsExactlyInAnyOrder("sim-llama", "sim-embed");
        Caller caller = caller(token);
        assertThat(caller.tenant()).isEqualTo("acme");
        assertThat(caller.subject()).startsWith("oidc:");
    }

    @Test
    void tokenSignedWithTheRealmsKeyIsAcceptedSoTheForgeryTestsMeanSomething() {
        JwtClaims claims = TokenForge.claims("tokengate", "tokengate");
        claims.setClaim("tokengate_tenant", "tenant-a");
        String token = used(TokenForge.signed("tokengate", claims));

        assertThat(Gateway.sdk(token).models().list().data().stream().map(Model::id)).containsExactly("sim-llama");
        assertThat(caller(token).subject()).isEqualTo("oidc:" + claims.getClaimValueAsString("sub"));
    }

    @Test
    void onlySharedIssuerTokensWithTheAdminRoleAreAdmins() {
        String admin = used(OidcTenants.admin());

        assertThat(isAdmin(admin)).isTrue();
        assertThat(isAdmin(used(OidcTenants.tenantA()))).isFalse();
        assertThat(isAdmin(used(OidcTenants.acme()))).isFalse();
        assertThat(isAdmin("not-a-jwt")).isFalse();

        JwtClaims tenantIssuerAdmin = TokenForge.claims("acme", "acme-gateway");
        tenantIssuerAdmin.setClaim("roles", List.of("tokengate-admin"));
        assertThat(isAdmin(used(TokenForge.signed("acme", tenantIssuerAdmin)))).isFalse();

        for (String claim : List.of("roles", "groups")) {
            JwtClaims topLevel = TokenForge.claims("tokengate", "tokengate");
            topLevel.setClaim(claim, List.of("tokengate-admin"));
            assertThat(isAdmin(used(TokenForge.signed("tokengate", topLevel)))).as(claim).isTrue();
        }
        JwtClaims otherRole = TokenForge.claims("tokengate", "tokengate");
        otherRole.setClaim("roles", List.of("tokengate-user"));
        assertThat(isAdmin(used(TokenForge.signed("tokengate", otherRole)))).isFalse();
    }

    @Test
    void adminApiAcceptsTheAdminTokenAndNoOther() {
        Admin.as(used(OidcTenants.admin())).get("/admin/v1/tenants").then().statusCode(200);
        Admin.as(used(OidcTenants.tenantA())).get("/admin/v1/tenants").then().statusCode(401);
        Admin.as(used(OidcTenants.acme())).get("/admin/v1/tenants").then().statusCode(401);
    }

    @Test
    void adminTokenIsNoTenantOnTheDataPlane() {
        assertThatThrownBy(() -> Gateway.sdk(used(OidcTenants.admin())).models().list())
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> assertThat(e.code()).hasValue("invalid_api_key"));
    }
}
