package io.tokengate.admin;

import static org.hamcrest.Matchers.*;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.testing.Admin;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import org.junit.jupiter.api.Test;

/** Tenants CRUD on the admin API, its authentication, and validation errors that name the field. */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class TenantAdminTest {

    @Test
    void createReadListReplaceDelete() {
        Admin.admin().delete("/admin/v1/tenants/crud-co");
        Admin.admin().body("{\"id\":\"crud-co\",\"display_name\":\"Crud Co\",\"allowed_models\":[\"sim-llama\"],"
                + "\"limits\":{\"requests_per_minute\":60,\"token_budget\":{\"limit\":1000,\"period\":\"month\"}}}")
                .post("/admin/v1/tenants").then().statusCode(201)
                .body("id", is("crud-co")).body("limits.token_budget.period", is("month")).body("created_at", notNullValue());

        Admin.admin().get("/admin/v1/tenants/crud-co").then().statusCode(200).body("display_name", is("Crud Co"));
        Admin.admin().get("/admin/v1/tenants").then().statusCode(200).body("object", is("list"))
                .body("data.id", hasItem("crud-co"));
        Admin.admin().body("{\"allowed_models\":[\"*\"]}").put("/admin/v1/tenants/crud-co").then().statusCode(200)
                .body("allowed_models", contains("*")).body("limits", nullValue()).body("display_name", is("crud-co"));
        Admin.admin().delete("/admin/v1/tenants/crud-co").then().statusCode(200).body("deleted", is(true));
        Admin.admin().get("/admin/v1/tenants/crud-co").then().statusCode(404).body("error.code", is("not_found"));
    }

    @Test
    void duplicateIdAndDuplicateOidcBindingConflict() {
        Admin.admin().delete("/admin/v1/tenants/dup-a");
        Admin.admin().delete("/admin/v1/tenants/dup-b");
        String oidc = ",\"oidc\":{\"issuer\":\"https://idp.example.com/realms/x\",\"audience\":\"gw\"}}";
        Admin.admin().body("{\"id\":\"dup-a\",\"allowed_models\":[]" + oidc).post("/admin/v1/tenants").then().statusCode(201);

        Admin.admin().body("{\"id\":\"dup-a\",\"allowed_models\":[]}").post("/admin/v1/tenants").then()
                .statusCode(409).body("error.code", is("conflict"));
        Admin.admin().body("{\"id\":\"dup-b\",\"allowed_models\":[]" + oidc).post("/admin/v1/tenants").then()
                .statusCode(409).body("error.code", is("conflict"));
    }

    @Test
    void validationErrorsNameTheField() {
        assertBad("{\"allowed_models\":[]}", "id", "missing_required_parameter");
        assertBad("{\"id\":\"Bad Id!\",\"allowed_models\":[]}", "id", "invalid_value");
        assertBad("{\"id\":\"v1\"}", "allowed_models", "missing_required_parameter");
        assertBad("{\"id\":\"v1\",\"allowed_models\":\"*\"}", "allowed_models", "invalid_type");
        assertBad("{\"id\":\"v1\",\"allowed_models\":[],\"limits\":{\"tokens_per_minute\":-5}}", "limits.tokens_per_minute", "invalid_value");
        assertBad("{\"id\":\"v1\",\"allowed_models\":[],\"limits\":{\"token_budget\":{\"limit\":5,\"period\":\"week\"}}}",
                "limits.token_budget.period", "invalid_value");
        assertBad("{\"id\":\"v1\",\"allowed_models\":[],\"oidc\":{\"issuer\":\"not a url\",\"audience\":\"a\"}}", "oidc.issuer", "invalid_value");
        Admin.admin().body("{not json").post("/admin/v1/tenants").then().statusCode(400).body("error.type", is("invalid_request_error"));
    }

    @Test
    void onlyAdminCredentialsPass() {
        Admin.as(null).get("/admin/v1/tenants").then().statusCode(401).body("error.code", is("invalid_api_key"));
        Admin.as("wrong-admin-key").get("/admin/v1/tenants").then().statusCode(401);
        Admin.as(Gateway.DEMO_KEY).get("/admin/v1/tenants").then().statusCode(401);
        Admin.as(Gateway.DEMO_KEY).get("/admin/v1/tenants/demo/keys").then().statusCode(401);
        Admin.as(Gateway.DEMO_KEY).get("/admin/v1/tenants/demo/usage").then().statusCode(401);
    }

    @Test
    void wrongMethodAndContentTypeAreCatalogued() {
        Admin.admin().patch("/admin/v1/tenants").then().statusCode(405).body("error.code", is("method_not_allowed"));
        Admin.admin().contentType("text/plain").body("x").post("/admin/v1/tenants").then().statusCode(400)
                .body("error.param", is("content-type"));
    }

    private static void assertBad(String body, String param, String code) {
        Admin.admin().body(body).post("/admin/v1/tenants").then().statusCode(400)
                .body("error.param", is(param)).body("error.code", is(code));
    }
}
