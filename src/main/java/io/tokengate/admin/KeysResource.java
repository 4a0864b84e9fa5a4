package io.tokengate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.tokengate.auth.ApiKeys;
import io.tokengate.auth.Authenticator;
import io.tokengate.tenant.ApiKeyRecord;
import io.tokengate.tenant.TenantStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;

/** {@code /admin/v1/tenants/{id}/keys}: create (the secret is shown once), list, revoke API keys. */
@Path("/admin/v1/tenants/{tenant}/keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class KeysResource {
    private final TenantStore store;
    private final ApiKeys apiKeys;

    @Inject
    public KeysResource(TenantStore store, Authenticator authenticator) {
        this.store = store;
        this.apiKeys = authenticator.apiKeys();
    }

    @POST
    public Uni<Response> create(@PathParam("tenant") String tenant, JsonNode body) {
        AdminRequests.KeyBody b = AdminRequests.key(body);
        ApiKeys.Minted minted = apiKeys.mint();
        ApiKeyRecord key = new ApiKeyRecord(minted.publicId(), tenant, b.name(), minted.secretHash(),
                b.allowedModels(), b.limits(), Instant.now(), b.expiresAt(), null);
        return store.createKey(key).map(k -> Response.status(201).entity(new AdminViews.CreatedKey(
                k.id(), "api_key", minted.fullKey(), k.name(), k.createdAt(), k.expiresAt())).build());
    }

    @GET
    public Uni<AdminViews.ListOf<AdminViews.KeyView>> list(@PathParam("tenant") String tenant) {
        return Tenants.existing(store, tenant).chain(t -> store.keys(tenant)).map(keys -> AdminViews.ListOf.of(keys.stream().map(AdminViews.KeyView::of).toList()));
    }

    @DELETE
    @Path("{key}")
    public Uni<AdminViews.Deleted> revoke(@PathParam("tenant") String tenant, @PathParam("key") String key) {
        return store.revokeKey(tenant, key).map(revoked -> {
            if (!revoked) {
                throw new TenantStore.NotFound("tenant '" + tenant + "' has no key '" + key + "'");
            }
            return new AdminViews.Deleted(key, "api_key", true);
        });
    }
}
