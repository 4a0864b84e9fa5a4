package io.tokengate.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The issuer and audiences of a JWT read WITHOUT verifying it: only to choose which OIDC configuration
 * verifies the token (quarkus-oidc then checks signature, issuer, audience and lifetime). Never trust these
 * values for anything else.
 */
record UnverifiedClaims(String issuer, List<String> audiences) {
    /** Longer bearers are refused before decoding (a JWT from an IdP is a few KiB). */
    static final int MAX_TOKEN_CHARS = 16 * 1024;
    /** At most this many audiences are tried against tenant bindings (each try is a store lookup). */
    static final int MAX_AUDIENCES = 8;

    /** The claims of a compact JWS ({@code header.payload.signature}), or null if it is not one. */
    static UnverifiedClaims peek(String token) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            return null;
        }
        int first = token.indexOf('.');
        int second = token.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            return null;
        }
        try {
            byte[] json = Base64.getUrlDecoder().decode(token.substring(first + 1, second));
            return of(new JsonObject(new String(json, StandardCharsets.UTF_8)));
        } catch (RuntimeException notAJwt) {
            return null;
        }
    }

    private static UnverifiedClaims of(JsonObject claims) {
        Object iss = claims.getValue("iss");
        if (!(iss instanceof String issuer) || issuer.isBlank()) {
            return null;
        }
        Object aud = claims.getValue("aud");
        List<String> audiences = new ArrayList<>();
        if (aud instanceof String single) {
            audiences.add(single);
        } else if (aud instanceof JsonArray many) {
            for (Object each : many) {
                if (each instanceof String value && audiences.size() < MAX_AUDIENCES) {
                    audiences.add(value);
                }
            }
        }
        return new UnverifiedClaims(issuer, List.copyOf(audiences));
    }
}
