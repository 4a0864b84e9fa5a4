package io.tokengate.auth;

import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import io.quarkus.oidc.runtime.OidcTenantConfig.Roles.Source;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * quarkus-oidc's dynamic tenant resolution: one OIDC service configuration per trusted (issuer, audience) pair.
 * The issuer's discovery document is read by {@link IssuerDiscovery}, which checks where it sends the gateway for
 * keys; quarkus-oidc gets that key URL with its own discovery off, keeps one provider per configuration id (keys
 * fetched once, refreshed when an unknown {@code kid} shows up) and checks signature, issuer, audience,
 * {@code exp}, {@code nbf} and {@code iat}. Tokens of issuers that no tenant and no shared-issuer setting names get
 * no configuration, so their issuer is never contacted. A configuration whose discovery failed is not kept: the
 * next token of that issuer tries again.
 */
@Singleton
class IssuerTenantConfigResolver implements TenantConfigResolver {
    /** Routing-context key of the {@link TrustedIssuers.Trusted} chosen for the token being verified. */
    static final String TRUSTED = IssuerTenantConfigResolver.class.getName() + ".trusted";

    private final ConcurrentHashMap<TrustedKey, Uni<OidcTenantConfig>> configs = new ConcurrentHashMap<>();
    private final IssuerDiscovery discovery;

    private record TrustedKey(String issuer, String audience) {}

    @Inject
    IssuerTenantConfigResolver(IssuerDiscovery discovery) {
        this.discovery = discovery;
    }

    @Override
    public Uni<OidcTenantConfig> resolve(RoutingContext ctx, OidcRequestContext<OidcTenantConfig> requestContext) {
        TrustedIssuers.Trusted chosen = ctx.get(TRUSTED);
        // Only TokenAuthenticator verifies tokens (it chose the issuer first); Quarkus's own HTTP mechanism, should
        // anything start it, finds no configuration and verifies nothing.
        return chosen == null ? Uni.createFrom().nullItem() : config(new TrustedKey(chosen.issuer(), chosen.audience()));
    }

    private Uni<OidcTenantConfig> config(TrustedKey key) {
        Uni<OidcTenantConfig> config = configs.computeIfAbsent(key, k -> discovery.keysUrl(k.issuer())
                .map(keysUrl -> build(tenantId(k), k.issuer(), k.audience(), keysUrl)).memoize().indefinitely());
        return config.onFailure().invoke(e -> configs.remove(key, config));
    }

    /**
     * A bearer-token (service) configuration that verifies tokens of one issuer for one audience with the keys at
     * {@code keysUrl} (already checked), discovery off: quarkus-oidc fetches nothing else.
     */
    static OidcTenantConfig build(String tenantId, String issuer, String audience, String keysUrl) {
        return OidcTenantConfig.builder()
                .tenantId(tenantId)
                .discoveryEnabled(false)
                .authServerUrl(issuer)
                .jwksPath(keysUrl)
                .applicationType(ApplicationType.SERVICE)
                .connectionTimeout(Duration.ofSeconds(5))
                .roles(Source.accesstoken, "realm_access/roles", "roles", "groups")
                .token()
                    .issuer(issuer)
                    .audience(audience)
                    .subjectRequired()
                    .issuedAtRequired()
                    .allowJwtIntrospection(false)
                    .allowOpaqueTokenIntrospection(false)
                .end()
                .build();
    }

    /** A stable OIDC tenant id for the pair (quarkus-oidc caches one provider per id). */
    private static String tenantId(TrustedKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((key.issuer() + '\n' + key.audience()).getBytes(StandardCharsets.UTF_8));
            return "tokengate-" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
