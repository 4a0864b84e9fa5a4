package io.tokengate.testing;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The admin API of the gateway under test, with the test profile's bootstrap admin key. */
public final class Admin {
    public static final String ADMIN_KEY = "test-admin-key-0123456789abcdef";

    private Admin() {}

    public static RequestSpecification as(String bearer) {
        RequestSpecification spec = given().baseUri(Gateway.baseUrl()).contentType("application/json");
        return bearer == null ? spec : spec.header("Authorization", "Bearer " + bearer);
    }

    public static RequestSpecification admin() {
        return as(ADMIN_KEY);
    }

    /** Creates a tenant (any previous one of that id is deleted first) and returns a fresh key of it. */
    public static String tenantWithKey(String id, String allowedModelsJson) {
        admin().delete("/admin/v1/tenants/" + id);
        admin().body("{\"id\":\"" + id + "\",\"allowed_models\":" + allowedModelsJson + "}")
                .post("/admin/v1/tenants").then().statusCode(201);
        return createKey(id, "{\"name\":\"test\"}").path("key");
    }

    /** Creates a tenant of every model with these limits (any previous one is deleted first); returns a key of it. */
    public static String limitedTenantWithKey(String id, String limitsJson) {
        admin().delete("/admin/v1/tenants/" + id);
        admin().body("{\"id\":\"" + id + "\",\"allowed_models\":[\"*\"],\"limits\":" + limitsJson + "}")
                .post("/admin/v1/tenants").then().statusCode(201);
        return createKey(id, "{\"name\":\"k\"}").path("key");
    }

    public static Response createKey(String tenant, String body) {
        Response response = admin().body(body).post("/admin/v1/tenants/" + tenant + "/keys");
        response.then().statusCode(201);
        return response;
    }
}
