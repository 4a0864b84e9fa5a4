package io.tokengate.admin;

import io.tokengate.error.ErrorBody;
import io.tokengate.error.ErrorCatalog;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.tokengate.tenant.TenantStore;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/** Every admin API failure leaves as a catalogued OpenAI-format error, like the data plane's. */
@Provider
public class AdminErrors implements ExceptionMapper<Throwable> {
    private static final Logger LOG = Logger.getLogger(AdminErrors.class);

    @Override
    public Response toResponse(Throwable failure) {
        return response(ErrorCatalog.describe(classify(failure)));
    }

    static Response response(ErrorBody body) {
        return Response.status(body.status()).type("application/json").entity(body.toJson()).build();
    }

    static GatewayError classify(Throwable failure) {
        return switch (failure) {
            case GatewayFailure f -> f.error();
            case TenantStore.Conflict c -> new GatewayError.Conflict(c.getMessage());
            case TenantStore.NotFound n -> new GatewayError.ResourceNotFound(n.getMessage());
            case TenantStore.StoreUnavailable u -> new GatewayError.StoreUnavailable("tenant store");
            case jakarta.ws.rs.NotFoundException n -> new GatewayError.ResourceNotFound(
                    "Unknown URL: admin API routes are under /admin/v1, health and metrics under /q.");
            case jakarta.ws.rs.NotAllowedException n -> new GatewayError.MethodNotAllowed("this method", "this admin URL");
            case jakarta.ws.rs.NotSupportedException n -> new GatewayError.InvalidValue("content-type", "must be application/json.");
            case jakarta.ws.rs.NotAcceptableException n -> new GatewayError.InvalidValue("accept", "the admin API answers application/json.");
            case com.fasterxml.jackson.core.JsonProcessingException j -> new GatewayError.MalformedJson(j.getOriginalMessage());
            case jakarta.ws.rs.WebApplicationException w when w.getCause() != null -> classify(w.getCause());
            case jakarta.ws.rs.BadRequestException b -> new GatewayError.MalformedJson("the body could not be read");
            default -> internal(failure);
        };
    }

    private static GatewayError internal(Throwable failure) {
        LOG.error("admin request failed unexpectedly", failure);
        return new GatewayError.Internal(failure.getClass().getSimpleName());
    }
}
