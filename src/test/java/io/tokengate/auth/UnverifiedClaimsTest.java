package io.tokengate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Reading iss/aud of an unverified JWT only to pick its verifier: anything that is not a compact JWS is no JWT. */
class UnverifiedClaimsTest {

    private static String jws(String payloadJson) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    @Test
    void readsIssuerAndAudiences() {
        assertThat(UnverifiedClaims.peek(jws("{\"iss\":\"https://idp/r\",\"aud\":\"gw\"}")))
                .isEqualTo(new UnverifiedClaims("https://idp/r", List.of("gw")));
        assertThat(UnverifiedClaims.peek(jws("{\"iss\":\"https://idp/r\",\"aud\":[\"a\",7,\"b\"]}")).audiences())
                .containsExactly("a", "b");
        assertThat(UnverifiedClaims.peek(jws("{\"iss\":\"https://idp/r\"}")).audiences()).isEmpty();
    }

    @Test
    void triesOnlyTheFirstFewAudiences() {
        String many = IntStream.range(0, 50).mapToObj(i -> "\"aud" + i + "\"").reduce((a, b) -> a + "," + b).orElseThrow();
        assertThat(UnverifiedClaims.peek(jws("{\"iss\":\"i\",\"aud\":[" + many + "]}")).audiences())
                .hasSize(UnverifiedClaims.MAX_AUDIENCES).startsWith("aud0");
    }

    @Test
    void refusesWhatIsNotACompactJwsWithAnIssuer() {
        for (String token : List.of("", "abc", "a.b", "a.b.c.d.e", ".e30.", "x.!!!.y", jws("[1,2]"),
                jws("{\"iss\":42}"), jws("{\"iss\":\" \"}"), jws("{\"sub\":\"no-issuer\"}"), jws("not json"))) {
            assertThat(UnverifiedClaims.peek(token)).as(token).isNull();
        }
        assertThat(UnverifiedClaims.peek(null)).isNull();
        String huge = jws("{\"iss\":\"i\",\"pad\":\"" + "x".repeat(UnverifiedClaims.MAX_TOKEN_CHARS) + "\"}");
        assertThat(UnverifiedClaims.peek(huge)).isNull();
    }
}
