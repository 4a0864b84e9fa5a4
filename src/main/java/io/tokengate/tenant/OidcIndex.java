package io.tokengate.tenant;

import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The Redis index {@code tg:oidc:<sha256(issuer + "\n" + audience)>} → tenant id, which makes an OIDC pair unique
 * across tenants. A claim is {@code SET NX}; the tenant record stays the source of truth, so an index entry whose
 * tenant no longer exists or no longer carries the pair (left by a crash or an outage between two steps) is stale:
 * a new claim takes it over with a compare-and-set, and lookups verify the record.
 */
final class OidcIndex {
    private static final int ATTEMPTS = 3;

    private final RedisCommands commands;
    private final TenantCodec codec;

    OidcIndex(RedisCommands commands, TenantCodec codec) {
        this.commands = commands;
        this.codec = codec;
    }

    /** Binds the pair to {@code tenantId}; {@link TenantStore.Conflict} if a live tenant holds it. */
    Uni<Void> claim(String tenantId, OidcBinding binding) {
        return claim(tenantId, binding, ATTEMPTS);
    }

    /** Drops the entry if it still names {@code tenantId}. */
    Uni<Void> release(String tenantId, OidcBinding binding) {
        return commands.compareAndDelete(key(binding), tenantId).replaceWithVoid();
    }

    /** The tenant id the entry names (verify against the tenant record: it may be stale). */
    Uni<Optional<String>> owner(OidcBinding binding) {
        return commands.get(key(binding)).map(Optional::ofNullable);
    }

    static String key(OidcBinding binding) {
        return "tg:oidc:" + sha256Hex(binding.issuer() + "\n" + binding.audience());
    }

    private Uni<Void> claim(String tenantId, OidcBinding binding, int attempts) {
        String key = key(binding);
        return commands.setIfAbsent(key, tenantId)
                .chain(won -> won ? Uni.createFrom().voidItem() : contest(key, tenantId, binding, attempts));
    }

    private Uni<Void> contest(String key, String tenantId, OidcBinding binding, int attempts) {
        return commands.get(key).chain(owner -> {
            if (tenantId.equals(owner)) {
                return Uni.createFrom().voidItem();
            }
            if (owner == null) {
                return again(tenantId, binding, attempts);
            }
            return holds(owner, binding).chain(live -> live ? Uni.createFrom().failure(conflict(binding))
                    : commands.compareAndSet(key, owner, tenantId).chain(taken -> taken
                            ? Uni.createFrom().voidItem() : again(tenantId, binding, attempts)));
        });
    }

    private Uni<Void> again(String tenantId, OidcBinding binding, int attempts) {
        return attempts > 1 ? claim(tenantId, binding, attempts - 1)
                : Uni.createFrom().failure(new TenantStore.Conflict("OIDC issuer '" + binding.issuer()
                        + "' with audience '" + binding.audience() + "' is being claimed concurrently"));
    }

    private Uni<Boolean> holds(String owner, OidcBinding binding) {
        return commands.get(RedisTenantStore.tenantKey(owner))
                .map(json -> json != null && binding.equals(codec.tenant(json).oidc()));
    }

    static TenantStore.Conflict conflict(OidcBinding binding) {
        return new TenantStore.Conflict("another tenant already uses OIDC issuer '" + binding.issuer()
                + "' with audience '" + binding.audience() + "'");
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
