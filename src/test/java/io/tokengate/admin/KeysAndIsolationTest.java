package io.tokengate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.*;

import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokengate.testing.Admin;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.Poll;
import io.tokengate.testing.SimulatorResource;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** API keys from the admin API on the data plane: entitlements, isolation, revocation, expiry. */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class KeysAndIsolationTest {

    private static ChatCompletionCreateParams chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").maxCompletionTokens(2).build();
    }

    @Test
    void keyIsShownOnceAndNeverListed() {
        Response created = Admin.createKey(setUp("keys-co", "[\"*\"]"), "{\"name\":\"ci\"}");
        String key = created.path("key");
        assertThat(key).startsWith("sk-tg-").hasSizeGreaterThan(6 + 12 + 1 + 32);

        String listing = Admin.admin().get("/admin/v1/tenants/keys-co/keys").then().statusCode(200)
                .body("object", is("list")).body("data.name", hasItem("ci")).extract().asString();
        assertThat(listing).doesNotContain(key.substring(19)).doesNotContain("secret_hash");
    }

    @Test
    void tenantsSeeAndUseOnlyTheirModels() {
        String a = Admin.tenantWithKey("iso-a", "[\"sim-llama\"]");
        String b = Admin.tenantWithKey("iso-b", "[\"sim-embed\"]");

        assertThat(Gateway.sdk(a).chat().completions().create(chat("sim-llama")).choices()).hasSize(1);
        assertThat(Gateway.sdk(a).models().list().data().stream().map(Model::id)).containsExactly("sim-llama");
        assertThatThrownBy(() -> Gateway.sdk(a).embeddings().create(EmbeddingCreateParams.builder()
                .model("sim-embed").input("x").build())).isInstanceOfSatisfying(NotFoundException.class,
                        e -> assertThat(e.code()).hasValue("model_not_found"));
        assertThatThrownBy(() -> Gateway.sdk(b).chat().completions().create(chat("sim-llama")))
                .isInstanceOf(NotFoundException.class);
        Admin.as(a).get("/admin/v1/tenants/iso-b/keys").then().statusCode(401);
        Admin.as(a).get("/admin/v1/tenants/iso-b/usage").then().statusCode(401);
        Admin.as(a).get("/admin/v1/tenants/iso-a/keys").then().statusCode(401);
    }

    @Test
    void keyModelsNarrowTheTenantsModels() {
        setUp("narrow-co", "[\"*\"]");
        String key = Admin.createKey("narrow-co", "{\"name\":\"embed-only\",\"allowed_models\":[\"sim-embed\"]}").path("key");

        assertThatThrownBy(() -> Gateway.sdk(key).chat().completions().create(chat("sim-llama")))
                .isInstanceOf(NotFoundException.class);
        assertThat(Gateway.sdk(key).models().list().data().stream().map(Model::id)).containsExactly("sim-embed");
    }

    @Test
    void revokedKeyFailsAtOnce() {
        setUp("revoke-co", "[\"*\"]");
        Response created = Admin.createKey("revoke-co", "{\"name\":\"soon-gone\"}");
        String key = created.path("key");
        Gateway.sdk(key).chat().completions().create(chat("sim-llama"));

        Admin.admin().delete("/admin/v1/tenants/revoke-co/keys/" + created.path("id")).then().statusCode(200);

        assertThatThrownBy(() -> Gateway.sdk(key).chat().completions().create(chat("sim-llama")))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> assertThat(e.code()).hasValue("invalid_api_key"));
        Admin.admin().get("/admin/v1/tenants/revoke-co/keys").then().body("data[0].revoked_at", notNullValue());
    }

    @Test
    void expiredKeyFails() {
        setUp("expiry-co", "[\"*\"]");
        java.time.Instant expires = java.time.Instant.now().plusSeconds(3);
        String key = Admin.createKey("expiry-co", "{\"name\":\"short\",\"expires_at\":\"" + expires + "\"}").path("key");
        Gateway.sdk(key).chat().completions().create(chat("sim-llama"));

        Poll.until("the key refused once expired", Duration.ofSeconds(30), () -> chatStatus(key), status -> status == 401);
        assertThatThrownBy(() -> Gateway.sdk(key).chat().completions().create(chat("sim-llama")))
                .isInstanceOf(UnauthorizedException.class);
    }

    private static int chatStatus(String key) {
        return Gateway.send(HttpRequest.newBuilder(URI.create(Gateway.baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"sim-llama\",\"max_tokens\":1,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build()).statusCode();
    }

    @Test
    void deletingATenantRevokesItsKeys() {
        String key = Admin.tenantWithKey("doomed-co", "[\"*\"]");
        Gateway.sdk(key).chat().completions().create(chat("sim-llama"));

        Admin.admin().delete("/admin/v1/tenants/doomed-co").then().statusCode(200);

        assertThatThrownBy(() -> Gateway.sdk(key).chat().completions().create(chat("sim-llama")))
                .isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void malformedUnknownAndForgedKeysAreAllTheSame401() {
        String real = Admin.tenantWithKey("forge-co", "[\"*\"]");
        String forged = real.substring(0, real.length() - 4) + "AAAA";
        for (String bad : new String[] {"sk-tg-short", "sk-tg-unknown00000-" + "x".repeat(43), forged, "not-a-key"}) {
            assertThatThrownBy(() -> Gateway.sdk(bad).chat().completions().create(chat("sim-llama")))
                    .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                        assertThat(e.code()).hasValue("invalid_api_key");
                        assertThat(e.getMessage()).doesNotContain(bad);
                    });
        }
    }

    private static String setUp(String tenant, String models) {
        Admin.admin().delete("/admin/v1/tenants/" + tenant);
        Admin.admin().body("{\"id\":\"" + tenant + "\",\"allowed_models\":" + models + "}").post("/admin/v1/tenants")
                .then().statusCode(201);
        return tenant;
    }
}
