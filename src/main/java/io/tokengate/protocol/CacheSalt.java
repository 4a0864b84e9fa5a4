package io.tokengate.protocol;

import io.tokengate.config.GatewayConfig;
import io.tokengate.config.SecretResolver;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code cache_salt} the gateway sets on every forwarded request: HMAC-SHA-256 of the tenant id under the
 * gateway's secret (the key pepper, {@code tokengate.auth.key-pepper-ref}, domain-separated from key hashes by a
 * prefix that no key secret contains), base64url: 43 characters, as vLLM asks of a salt. Every replica sharing the
 * pepper salts a tenant alike, so a tenant's prefixes stay cached across replicas; no tenant can name, guess or reuse
 * another's salt, and the salt never reveals the tenant id. Without a pepper (in-memory store, one replica) the
 * secret is random per start.
 */
final class CacheSalt {
    private static final byte[] DOMAIN = "tokengate cache_salt v1:".getBytes(StandardCharsets.US_ASCII);
    private final SecretKeySpec secret;

    CacheSalt(byte[] secret) {
        this.secret = new SecretKeySpec(secret, "HmacSHA256");
    }

    static CacheSalt fromConfig(GatewayConfig config) {
        return config.auth().keyPepperRef()
                .map(ref -> new CacheSalt(SecretResolver.resolveFromEnvironment("tokengate.auth.key-pepper-ref", ref)
                        .getBytes(StandardCharsets.UTF_8)))
                .orElseGet(CacheSalt::random);
    }

    static CacheSalt random() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new CacheSalt(secret);
    }

    /** The salt of {@code tenant}. */
    String of(String tenant) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            mac.update(DOMAIN);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(tenant.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
