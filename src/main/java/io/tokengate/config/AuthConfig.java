package io.tokengate.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Data-plane authentication. */
public interface AuthConfig {
    /**
     * Reference ({@code env:NAME} or {@code file:/path}) to the server pepper mixed into API key hashes
     * (HMAC-SHA-256). Required with Redis storage (every replica must hash alike); without it a random pepper
     * is made at start, which suits the in-memory store only.
     */
    Optional<String> keyPepperRef();

    /** How long a replica may trust a cached key or tenant lookup; changes are pushed sooner (pub/sub). */
    @WithDefault("30s")
    Duration cacheTtl();

    /**
     * Most entries each local cache keeps (tenants by id, keys by id, answers "not found" included); the least
     * used beyond it are evicted, so no caller, not even a flood of unknown keys, can grow the heap.
     */
    @WithDefault("100000")
    int cacheSize();

    /** A gateway-wide OIDC issuer whose tokens name their tenant in {@link #tenantClaim()}. */
    Optional<String> sharedIssuer();

    /** Audience required of tokens from the shared issuer. */
    @WithDefault("tokengate")
    String sharedAudience();

    /** Claim that names the tenant in tokens of the shared issuer. */
    @WithDefault("tokengate_tenant")
    String tenantClaim();

    /**
     * Accept OIDC issuers (the shared one, tenants' own) and their key URLs over plain {@code http://}. For test
     * identity providers only: otherwise an issuer must be {@code https://}, a tenant with an {@code http://}
     * issuer is refused by the admin API (400) and its tokens are refused (401) without contacting it.
     */
    @WithDefault("false")
    boolean allowInsecureIssuers();

    /**
     * Hosts other than the issuer's own that an issuer's discovery document may name for its signing keys
     * ({@code jwks_uri}), e.g. {@code www.googleapis.com} for {@code https://accounts.google.com}. Without them,
     * keys on another host are refused and never fetched (a tenant's issuer cannot send the gateway elsewhere).
     */
    Optional<Set<String>> allowedJwksHosts();
}
