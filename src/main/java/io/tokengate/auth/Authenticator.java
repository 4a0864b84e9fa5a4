package io.tokengate.auth;

import io.smallrye.mutiny.Uni;
import io.tokengate.config.GatewayConfig;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.tokengate.request.Caller;
import io.tokengate.request.Credentials;
import io.tokengate.storage.StoreUnavailable;
import io.tokengate.tenant.ApiKeyRecord;
import io.tokengate.tenant.Tenant;
import io.tokengate.tenant.TenantDirectory;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Stage 2, Authenticate: headers only, before the body is read. Deny by default: a request without a valid
 * credential gets 401 {@code invalid_api_key}, whatever was wrong (missing, unknown, revoked, expired, bad
 * signature): nothing that helps an attacker. {@code Bearer sk-tg-…} is an API key checked here against its
 * stored hash; any other bearer is an OIDC token verified by quarkus-oidc.
 */
@Singleton
public class Authenticator {
    private static final GatewayFailure DENIED = new GatewayFailure(new GatewayError.Unauthenticated());

    private final TenantDirectory directory;
    private final ApiKeys keys;
    private final TokenAuthenticator tokens;

    @Inject
    public Authenticator(TenantDirectory directory, GatewayConfig config, TokenAuthenticator tokens) {
        this.directory = directory;
        this.keys = ApiKeys.fromConfig(config);
        this.tokens = tokens;
    }

    /** The key format and hashing this gateway uses (the admin API mints keys with it). */
    public ApiKeys apiKeys() {
        return keys;
    }

    /** Authenticates a data-plane caller from the credential headers it presented. */
    public Uni<Caller> authenticate(Credentials credentials) {
        String bearer = bearer(credentials.authorization());
        if (bearer == null) {
            return Uni.createFrom().failure(DENIED);
        }
        return bearer.startsWith(ApiKeys.PREFIX) ? apiKey(bearer) : tokens.authenticate(bearer);
    }

    /** True for an OIDC token of the shared issuer with the admin role (the admin API's second way in). */
    public Uni<Boolean> isAdminToken(Credentials credentials) {
        String bearer = bearer(credentials.authorization());
        if (bearer == null || bearer.startsWith(ApiKeys.PREFIX)) {
            return Uni.createFrom().item(false);
        }
        return tokens.isAdmin(bearer).onFailure().recoverWithItem(false);
    }

    /** The token of a {@code Bearer} Authorization header, or null. */
    public static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    private Uni<Caller> apiKey(String token) {
        ApiKeys.Presented presented = ApiKeys.parse(token);
        if (presented == null) {
            return Uni.createFrom().failure(DENIED);
        }
        return directory.key(presented.publicId())
                .map(found -> found.filter(key -> key.usableAt(Instant.now()))
                        .filter(key -> keys.matches(presented.secret(), key.secretHash())).orElseThrow(() -> DENIED))
                .chain(key -> directory.tenant(key.tenantId()).map(tenant -> caller(tenant, key)))
                .onFailure(StoreUnavailable.class)
                .transform(e -> new GatewayFailure(new GatewayError.StoreUnavailable("tenant directory")));
    }

    private static Caller caller(Optional<Tenant> tenant, ApiKeyRecord key) {
        Tenant t = tenant.orElseThrow(() -> DENIED);
        return new Caller(t.id(), key.id(), "key:" + key.id(), allowedModels(t.allowedModels(), key.allowedModels()));
    }

    /** Tenant and key allowances intersect; {@code *} on one side means the other side's list. */
    static Set<String> allowedModels(List<String> tenant, List<String> key) {
        Set<String> t = tenant == null ? Set.of() : Set.copyOf(tenant);
        if (key == null || key.contains(Caller.ANY_MODEL)) {
            return t;
        }
        if (t.contains(Caller.ANY_MODEL)) {
            return Set.copyOf(key);
        }
        Set<String> both = new HashSet<>(t);
        both.retainAll(key);
        return Set.copyOf(both);
    }
}
