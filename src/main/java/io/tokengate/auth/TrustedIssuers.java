package io.tokengate.auth;

import io.smallrye.mutiny.Uni;
import io.tokengate.config.GatewayConfig;
import io.tokengate.config.IssuerPolicy;
import io.tokengate.tenant.OidcBinding;
import io.tokengate.tenant.Tenant;
import io.tokengate.tenant.TenantDirectory;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * Which issuer (and audience) may verify a bearer token: the gateway's shared issuer with the shared audience, or
 * the issuer + audience a tenant record is bound to. Anything else is unknown, and unknown issuers are never
 * contacted: the gateway only fetches discovery documents and keys of issuers it was configured with, and only
 * of those {@link IssuerPolicy} allows (https unless insecure issuers are allowed).
 */
@Singleton
class TrustedIssuers {
    private static final Uni<Optional<Trusted>> NONE = Uni.createFrom().item(Optional.empty());

    /**
     * An issuer this gateway trusts for one token.
     *
     * @param tenant the tenant bound to (issuer, audience), or null for the shared issuer (the token names its
     *               tenant in a claim)
     */
    record Trusted(String issuer, String audience, Tenant tenant) {
        boolean shared() {
            return tenant == null;
        }
    }

    private final TenantDirectory directory;
    private final IssuerPolicy policy;
    private final Optional<String> sharedIssuer;
    private final String sharedAudience;

    @Inject
    TrustedIssuers(TenantDirectory directory, IssuerPolicy policy, GatewayConfig config) {
        this.directory = directory;
        this.policy = policy;
        this.sharedIssuer = config.auth().sharedIssuer().filter(issuer -> !issuer.isBlank());
        this.sharedAudience = config.auth().sharedAudience();
    }

    /**
     * The trusted issuer a token claims to come from, judged on its unverified {@code iss}/{@code aud}; empty if
     * none. Fails with {@code StoreUnavailable} when the tenant bindings cannot be read.
     */
    Uni<Optional<Trusted>> select(String token) {
        UnverifiedClaims claims = UnverifiedClaims.peek(token);
        if (claims == null) {
            return NONE;
        }
        if (sharedIssuer.filter(claims.issuer()::equals).isPresent() && claims.audiences().contains(sharedAudience)) {
            return Uni.createFrom().item(Optional.of(new Trusted(claims.issuer(), sharedAudience, null)));
        }
        if (policy.problem(claims.issuer()).isPresent()) {
            return NONE; // e.g. an http:// issuer stored before the rule, or written to the store directly
        }
        return bound(claims.issuer(), claims.audiences(), 0);
    }

    /** The first audience (in token order) that a tenant is bound to with this issuer. */
    private Uni<Optional<Trusted>> bound(String issuer, List<String> audiences, int index) {
        if (index >= audiences.size()) {
            return NONE;
        }
        String audience = audiences.get(index);
        return directory.tenantByIssuer(issuer, audience).chain(tenant -> tenant
                .filter(t -> matches(t.oidc(), issuer, audience))
                .map(t -> Uni.createFrom().item(Optional.of(new Trusted(issuer, audience, t))))
                .orElseGet(() -> bound(issuer, audiences, index + 1)));
    }

    private static boolean matches(OidcBinding binding, String issuer, String audience) {
        return binding != null && issuer.equals(binding.issuer()) && audience.equals(binding.audience());
    }
}
