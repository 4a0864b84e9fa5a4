package io.tokengate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.tokengate.config.IssuerPolicy;
import io.tokengate.tenant.Tenant;
import io.tokengate.tenant.TenantStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;

/** {@code /admin/v1/tenants}: create, list, read, replace, delete tenants. */
@Path("/admin/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TenantsResource {
    private final TenantStore store;
    private final IssuerPolicy issuers;

    @Inject
    public TenantsResource(TenantStore store, IssuerPolicy issuers) {
        this.store = store;
        this.issuers = issuers;
    }

    /** The body of a tenant, its OIDC issuer checked against the issuer rule (https unless allowed). */
    private AdminRequests.TenantBody body(JsonNode body, String pathId) {
        AdminRequests.TenantBody b = AdminRequests.tenant(body, pathId);
        if (b.oidc() != null) {
            issuers.problem(b.oidc().issuer()).ifPresent(problem -> {
                throw AdminRequests.invalid("oidc.issuer", problem);
            });
        }
        return b;
    }

    @POST
    public Uni<Response> create(JsonNode body) {
        AdminRequests.TenantBody b = body(body, null);
        Tenant tenant = new Tenant(b.id(), b.displayName(), b.allowedModels(), b.limits(), b.oidc(), Instant.now(),
                b.modelLimits());
        return store.create(tenant).map(created -> Response.status(201).entity(created).build());
    }

    @GET
    public Uni<AdminViews.ListOf<Tenant>> list() {
        return store.tenants().map(AdminViews.ListOf::of);
    }

    @GET
    @Path("{tenant}")
    public Uni<Tenant> get(@PathParam("tenant") String id) {
        return existing(id);
    }

    @PUT
    @Path("{tenant}")
    public Uni<Tenant> replace(@PathParam("tenant") String id, JsonNode body) {
        AdminRequests.TenantBody b = body(body, id);
        return existing(id).chain(old -> store.replace(
                new Tenant(id, b.displayName(), b.allowedModels(), b.limits(), b.oidc(), old.createdAt(),
                        b.modelLimits())));
    }

    @DELETE
    @Path("{tenant}")
    public Uni<AdminViews.Deleted> delete(@PathParam("tenant") String id) {
        return store.delete(id).map(deleted -> {
            if (!deleted) {
                throw Tenants.notFound(id);
            }
            return new AdminViews.Deleted(id, "tenant", true);
        });
    }

    private Uni<Tenant> existing(String id) {
        return Tenants.existing(store, id);
    }
}
