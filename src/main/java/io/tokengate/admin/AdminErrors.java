package io.tokengate.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tokengate.error.ErrorBody;
import io.tokengate.error.ErrorCatalog;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.tokengate.storage.StoreUnavailable;
import io.tokengate.tenant.TenantStore;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
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
            case StoreUnavailable u -> new GatewayError.StoreUnavailable("tenant store");
            case NotFoundException n -> new GatewayError.ResourceNotFound(
                    "Unknown URL: admin API routes are under /admin/v1, health and metrics under /q.");
            case NotAllowedException n -> new GatewayError.MethodNotAllowed("this method", "this admin URL");
            case NotSupportedException n -> new GatewayError.InvalidValue("content-type", "must be application/json.");
            case NotAcceptableException n -> new GatewayError.InvalidValue("accept", "the admin API answers application/json.");
            case JsonProcessingException j -> new GatewayError.MalformedJson(j.getOriginalMessage());
            case WebApplicationException w when w.getCause() != null -> classify(w.getCause());
            case BadRequestException b -> new GatewayError.MalformedJson("the body could not be read");
            default -> internal(failure);
        };
    }

    private static GatewayError internal(Throwable failure) {
        LOG.error("admin request failed unexpectedly", failure);
        return new GatewayError.Internal(failure.getClass().getSimpleName());
    }
}
