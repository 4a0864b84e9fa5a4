package io.tokengate.auth;

import io.smallrye.mutiny.Uni;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/**
 * OIDC bearer tokens (JWTs) through quarkus-oidc. Not wired yet: every token is refused as unauthenticated,
 * which is the deny-by-default answer.
 */
@Singleton
class TokenAuthenticator {

    Uni<Caller> authenticate(RoutingContext ctx, String token) {
        return Uni.createFrom().failure(new GatewayFailure(new GatewayError.Unauthenticated()));
    }

    /** True when the token is a valid JWT of the shared issuer carrying the admin role. */
    Uni<Boolean> isAdmin(RoutingContext ctx, String token) {
        return Uni.createFrom().item(false);
    }
}
