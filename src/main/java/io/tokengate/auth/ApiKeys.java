package io.tokengate.auth;

import io.tokengate.config.GatewayConfig;
import io.tokengate.config.StorageConfig;
import io.tokengate.config.InvalidConfigException;
import io.tokengate.config.SecretResolver;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * API key format and hashing. A key is {@code sk-tg-<12-char public id>-<secret>}; the secret has 43 base62
 * characters (256 bits) from {@link SecureRandom}. Only HMAC-SHA-256(pepper, secret) is stored; comparison is
 * constant time. The public id is the lookup key.
 */
public final class ApiKeys {
    public static final String PREFIX = "sk-tg-";
    static final int ID_LENGTH = 12;
    static final int SECRET_LENGTH = 43;
    static final int MIN_SECRET_LENGTH = 16;
    static final int MAX_SECRET_LENGTH = 128;
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec pepper;
    private final ThreadLocal<Mac> mac = ThreadLocal.withInitial(this::newMac); // one per event loop, reused

    /** A parsed presented key (secret kept only as long as the check runs). */
    public record Presented(String publicId, String secret) {}

    /** A new key: the full value shown once, and what is stored. */
    public record Minted(String publicId, String fullKey, String secretHash) {}

    public ApiKeys(byte[] pepper) {
        this.pepper = new SecretKeySpec(pepper, "HmacSHA256");
    }

    /** The pepper from {@code tokengate.auth.key-pepper-ref}, or a random one for the in-memory store. */
    public static ApiKeys fromConfig(GatewayConfig config) {
        return config.auth().keyPepperRef().map(ref -> new ApiKeys(readPepper(ref)))
                .orElseGet(() -> {
                    if (config.storage().kind() != StorageConfig.Kind.MEMORY) {
                        throw new InvalidConfigException("tokengate.auth.key-pepper-ref",
                                "is required with shared storage: every replica must hash keys alike");
                    }
                    return new ApiKeys(random(32));
                });
    }

    public Minted mint() {
        String id = randomBase62(ID_LENGTH);
        String secret = randomBase62(SECRET_LENGTH);
        return new Minted(id, PREFIX + id + "-" + secret, hash(secret));
    }

    /** Hash for a chosen full key (bootstrap with a fixed demo key), or null if it is not a valid key. */
    public Minted adopt(String fullKey) {
        Presented p = parse(fullKey);
        return p == null ? null : new Minted(p.publicId(), fullKey, hash(p.secret()));
    }

    /**
     * Parses {@code sk-tg-<id>-<secret>}; null if the shape is wrong: the id must be {@value #ID_LENGTH} base62
     * characters and the secret {@value #MIN_SECRET_LENGTH} to {@value #MAX_SECRET_LENGTH} of them, so that no
     * other string ever costs a lookup (or a cache entry).
     */
    public static Presented parse(String token) {
        int dash = PREFIX.length() + ID_LENGTH;
        int secretLength = token == null ? -1 : token.length() - dash - 1;
        if (secretLength < MIN_SECRET_LENGTH || secretLength > MAX_SECRET_LENGTH || !token.startsWith(PREFIX)
                || token.charAt(dash) != '-' || !base62(token, PREFIX.length(), dash)
                || !base62(token, dash + 1, token.length())) {
            return null;
        }
        return new Presented(token.substring(PREFIX.length(), dash), token.substring(dash + 1));
    }

    private static boolean base62(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }

    /** Constant-time check of a presented secret against a stored hash. */
    public boolean matches(String secret, String storedHash) {
        byte[] presented = hash(secret).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(presented, storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    String hash(String secret) {
        return HexFormat.of().formatHex(mac.get().doFinal(secret.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(pepper);
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] readPepper(String ref) {
        String key = "tokengate.auth.key-pepper-ref";
        String value = SecretResolver.resolveFromEnvironment(key, ref);
        if (value.length() < 16) {
            throw new InvalidConfigException(key, ref + " is shorter than 16 characters");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String randomBase62(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = BASE62[RANDOM.nextInt(BASE62.length)];
        }
        return new String(out);
    }

    private static byte[] random(int bytes) {
        byte[] out = new byte[bytes];
        RANDOM.nextBytes(out);
        return out;
    }
}
