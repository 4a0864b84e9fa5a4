package io.tokengate.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which OIDC issuers, and which of their key URLs, the gateway may contact: {@code https://} only (unless
 * {@code tokengate.auth.allow-insecure-issuers}), and signing keys ({@code jwks_uri}) on the issuer's own host or
 * one of {@code tokengate.auth.allowed-jwks-hosts}. One rule for the shared issuer (checked at start), tenants'
 * issuers (checked by the admin API and again at use) and the key URLs their discovery documents name.
 */
@Singleton
public class IssuerPolicy {
    private final boolean allowInsecure;
    private final Set<String> extraKeyHosts;
    private final Optional<String> sharedIssuer;

    @Inject
    public IssuerPolicy(GatewayConfig config) {
        this(config.auth().allowInsecureIssuers(), config.auth().allowedJwksHosts().orElse(Set.of()),
                config.auth().sharedIssuer().filter(issuer -> !issuer.isBlank()));
    }

    public IssuerPolicy(boolean allowInsecure, Set<String> extraKeyHosts, Optional<String> sharedIssuer) {
        this.allowInsecure = allowInsecure;
        this.extraKeyHosts = extraKeyHosts.stream().map(IssuerPolicy::lower).collect(Collectors.toUnmodifiableSet());
        this.sharedIssuer = sharedIssuer;
    }

    /** Fails the start when the shared issuer breaks the rule, naming the key. */
    void checkSharedIssuer(@Observes StartupEvent event) {
        sharedIssuer.flatMap(this::problem).ifPresent(problem -> {
            throw new InvalidConfigException("tokengate.auth.shared-issuer", problem);
        });
    }

    /** Why this issuer may not be used, or empty when it may. */
    public Optional<String> problem(String issuer) {
        URI uri = parse(issuer);
        if (uri == null || uri.getHost() == null || uri.getScheme() == null) {
            return Optional.of("must be an https URL.");
        }
        return schemeAllowed(uri) ? Optional.empty() : Optional.of(allowInsecure ? "must be an http(s) URL."
                : "must be an https URL (http is accepted only with tokengate.auth.allow-insecure-issuers=true).");
    }

    /** True when the gateway may fetch an issuer's signing keys from {@code keysUrl}. */
    public boolean keysAllowed(String issuer, String keysUrl) {
        URI from = parse(issuer);
        URI keys = parse(keysUrl);
        if (from == null || keys == null || from.getHost() == null || keys.getHost() == null || !schemeAllowed(keys)
                || keys.getRawUserInfo() != null) {
            return false;
        }
        String host = lower(keys.getHost());
        return host.equals(lower(from.getHost())) || extraKeyHosts.contains(host);
    }

    private boolean schemeAllowed(URI uri) {
        String scheme = lower(uri.getScheme());
        return "https".equals(scheme) || (allowInsecure && "http".equals(scheme));
    }

    private static URI parse(String url) {
        try {
            return url == null ? null : new URI(url);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
