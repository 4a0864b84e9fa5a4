package io.tokengate.admin;

import io.smallrye.mutiny.Uni;
import io.tokengate.auth.Authenticator;
import io.tokengate.config.GatewayConfig;
import io.tokengate.error.ErrorCatalog;
import io.tokengate.error.GatewayError;
import io.tokengate.request.Credentials;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Admin API authentication: the bootstrap admin key ({@code tokengate.admin.api-key}) or an OIDC token of the
 * shared issuer with the admin role. Tenant credentials (API keys, tenant-issuer tokens) never pass.
 */
public class AdminAuthFilter {
    private final byte[] adminKey;
    private final Authenticator authenticator;

    @Inject
    public AdminAuthFilter(GatewayConfig config, Authenticator authenticator) {
        this.adminKey = config.admin().apiKey().filter(k -> !k.isBlank())
                .map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.authenticator = authenticator;
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Response> authorize(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/admin")) {
            return Uni.createFrom().nullItem();
        }
        String authorization = request.getHeaderString("authorization");
        if (isAdminKey(Authenticator.bearer(authorization))) {
            return Uni.createFrom().nullItem();
        }
        return authenticator.isAdminToken(new Credentials(authorization))
                .map(admin -> admin ? null : AdminErrors.response(ErrorCatalog.describe(new GatewayError.Unauthenticated())));
    }

    private boolean isAdminKey(String presented) {
        return adminKey != null && presented != null
                && MessageDigest.isEqual(adminKey, presented.getBytes(StandardCharsets.UTF_8));
    }
}
