package io.tokengate.auth;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.tokengate.config.GatewayConfig;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.tokengate.request.Caller;
import io.tokengate.storage.StoreUnavailable;
import io.tokengate.tenant.Tenant;
import io.tokengate.tenant.TenantDirectory;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * OIDC bearer tokens (JWTs), verified by quarkus-oidc. The token's unverified issuer and audience only choose the
 * OIDC configuration ({@link TrustedIssuers}, {@link IssuerTenantConfigResolver}); quarkus-oidc then verifies the
 * token against that issuer's keys, and only a verified token becomes a {@link Caller}:
 * <ul>
 * <li>shared issuer ({@code tokengate.auth.shared-issuer}): the tenant is named in the claim
 *     {@code tokengate.auth.tenant-claim};</li>
 * <li>a tenant's own issuer: the tenant bound to (issuer, audience).</li>
 * </ul>
 * Every failure is the same 401 {@code invalid_api_key}; the token itself is never logged.
 *
 * <p>Verification goes through the {@link IdentityProviderManager} with a {@link TokenAuthenticationRequest}
 * (what quarkus-oidc's own bearer mechanism does), not through the request's lazily authenticated identity: a
 * failure of the latter makes Quarkus answer an empty 401 itself, where the gateway must answer in OpenAI's format.
 */
@Singleton
class TokenAuthenticator {
    private static final Logger LOG = Logger.getLogger(TokenAuthenticator.class);
    private static final GatewayFailure DENIED = new GatewayFailure(new GatewayError.Unauthenticated());

    private final TrustedIssuers issuers;
    private final TenantDirectory directory;
    private final IdentityProviderManager identities;
    private final String tenantClaim;
    private final String adminRole;

    private record Verified(TrustedIssuers.Trusted trusted, JsonWebToken token, SecurityIdentity identity) {}

    @Inject
    TokenAuthenticator(TrustedIssuers issuers, TenantDirectory directory, IdentityProviderManager identities,
            GatewayConfig config) {
        this.issuers = issuers;
        this.directory = directory;
        this.identities = identities;
        this.tenantClaim = config.auth().tenantClaim();
        this.adminRole = config.admin().role();
    }

    /**
     * The caller a valid token stands for; fails with 401 for every bad token, 503 if tenants cannot be read. A
     * bearer token needs no HTTP request to be verified: it is checked on a detached context.
     */
    Uni<Caller> authenticate(String token) {
        return verify(token).chain(this::caller)
                .onFailure(StoreUnavailable.class)
                .transform(e -> new GatewayFailure(new GatewayError.StoreUnavailable("tenant directory")))
                .onFailure(e -> !(e instanceof GatewayFailure)).transform(TokenAuthenticator::denied);
    }

    /**
     * True when the token is a valid JWT of the shared issuer carrying the admin role ({@code realm_access.roles},
     * {@code roles} or {@code groups}). Tokens of tenant issuers are never admins.
     */
    Uni<Boolean> isAdmin(String token) {
        return verify(token).map(v -> v.trusted().shared() && v.identity().hasRole(adminRole));
    }

    /** Verifies a bearer token on a {@link DetachedContext}: a token needs nothing of the HTTP request. */
    private Uni<Verified> verify(String token) {
        return issuers.select(token).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().failure(DENIED);
            }
            TrustedIssuers.Trusted trusted = found.get();
            RoutingContext context = DetachedContext.create();
            context.put(IssuerTenantConfigResolver.TRUSTED, trusted);
            TokenAuthenticationRequest request = new TokenAuthenticationRequest(new AccessTokenCredential(token));
            return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context))
                    .map(identity -> verified(trusted, identity));
        });
    }

    /** Re-checks what the configuration already enforced, so that a misconfiguration cannot widen trust. */
    private static Verified verified(TrustedIssuers.Trusted trusted, SecurityIdentity identity) {
        if (identity == null || !(identity.getPrincipal() instanceof JsonWebToken jwt)
                || !trusted.issuer().equals(jwt.getIssuer()) || jwt.getAudience() == null
                || !jwt.getAudience().contains(trusted.audience()) || blank(jwt.getSubject())) {
            throw DENIED;
        }
        return new Verified(trusted, jwt, identity);
    }

    private Uni<Caller> caller(Verified verified) {
        if (!verified.trusted().shared()) {
            return Uni.createFrom().item(caller(verified.trusted().tenant(), verified.token()));
        }
        Object claim = verified.token().getClaim(tenantClaim);
        if (!(claim instanceof String tenantId) || tenantId.isBlank()) {
            return Uni.createFrom().failure(DENIED);
        }
        return directory.tenant(tenantId).map(tenant -> caller(tenant.orElseThrow(() -> DENIED), verified.token()));
    }

    private static Caller caller(Tenant tenant, JsonWebToken token) {
        return new Caller(tenant.id(), null, "oidc:" + token.getSubject(),
                Authenticator.allowedModels(tenant.allowedModels(), null));
    }

    private static GatewayFailure denied(Throwable cause) {
        // The class names only: messages of token libraries may quote claims.
        LOG.debugf("OIDC token rejected: %s%s", cause.getClass().getName(),
                cause.getCause() == null ? "" : " caused by " + cause.getCause().getClass().getName());
        return DENIED;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
