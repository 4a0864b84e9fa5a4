package io.tokengate.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * Tokens made by the tests, not by Keycloak (jose4j): signed with a realm's fixed test-only key from
 * {@code infra/oidc} (under the key id Keycloak publishes for it), signed with a foreign key, or not signed at all.
 */
public final class TokenForge {
    private static final Map<String, RealmKey> KEYS = new ConcurrentHashMap<>();

    private record RealmKey(String kid, PrivateKey key) {}

    private TokenForge() {}

    /** Claims shaped like Keycloak's access tokens of {@code realm} for {@code audience}, valid for five minutes. */
    public static JwtClaims claims(String realm, String audience) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(Keycloak.issuer(realm));
        claims.setAudience(audience);
        claims.setSubject("forged-" + UUID.randomUUID());
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        claims.setGeneratedJwtId();
        claims.setClaim("typ", "Bearer");
        claims.setClaim("azp", "forged-client");
        return claims;
    }

    /** Signed (RS256) with the realm's own signing key: as good as Keycloak's, whatever the claims say. */
    public static String signed(String realm, JwtClaims claims) {
        RealmKey key = KEYS.computeIfAbsent(realm, TokenForge::load);
        return sign(claims, key.key(), key.kid());
    }

    /** Signed with a freshly generated key under the realm's key id: the signature cannot verify. */
    public static String signedWithForeignKey(String realm, JwtClaims claims) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return sign(claims, generator.generateKeyPair().getPrivate(), KEYS.computeIfAbsent(realm, TokenForge::load).kid());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none}, empty signature. */
    public static String unsigned(JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JwtClaims claims, PrivateKey key, String kid) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setKeyIdHeaderValue(kid);
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The realm file's fixed key, and the kid under which the running Keycloak publishes its public half. */
    private static RealmKey load(String realm) {
        try {
            JsonObject config = rsaProviderConfig(realm);
            byte[] pkcs8 = Base64.getDecoder().decode(config.getJsonArray("privateKey").getString(0));
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            byte[] der = Base64.getDecoder().decode(config.getJsonArray("certificate").getString(0));
            RSAPublicKey publicKey = (RSAPublicKey) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
            return new RealmKey(publishedKid(realm, publicKey.getModulus()), key);
        } catch (IOException | GeneralSecurityException | JoseException e) {
            throw new IllegalStateException("cannot load the test key of realm " + realm, e);
        }
    }

    private static JsonObject rsaProviderConfig(String realm) throws IOException {
        JsonObject file = new JsonObject(Files.readString(Keycloak.realmFile(realm)));
        JsonArray providers = file.getJsonObject("components").getJsonArray("org.keycloak.keys.KeyProvider");
        for (int i = 0; i < providers.size(); i++) {
            JsonObject provider = providers.getJsonObject(i);
            if ("rsa".equals(provider.getString("providerId"))) {
                return provider.getJsonObject("config");
            }
        }
        throw new IllegalStateException("realm " + realm + " has no fixed rsa key");
    }

    private static String publishedKid(String realm, BigInteger modulus) throws JoseException {
        for (JsonWebKey jwk : new JsonWebKeySet(Keycloak.jwks(realm)).getJsonWebKeys()) {
            if (jwk instanceof RsaJsonWebKey rsa && rsa.getRsaPublicKey().getModulus().equals(modulus)) {
                return jwk.getKeyId();
            }
        }
        throw new IllegalStateException("Keycloak does not publish the fixed key of realm " + realm);
    }
}
