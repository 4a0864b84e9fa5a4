package io.tokengate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Only strings shaped like a key reach a lookup: the id and the secret are checked by alphabet and length. */
class ApiKeysTest {
    private final ApiKeys keys = new ApiKeys("a-pepper-of-sixteen+".getBytes());

    @Test
    void aMintedKeyParsesIntoItsIdAndSecret() {
        ApiKeys.Minted minted = keys.mint();
        ApiKeys.Presented presented = ApiKeys.parse(minted.fullKey());
        assertThat(presented).isNotNull();
        assertThat(presented.publicId()).isEqualTo(minted.publicId());
        assertThat(keys.matches(presented.secret(), minted.secretHash())).isTrue();
    }

    @Test
    void idsOutsideBase62AreNotKeys() {
        String secret = "S".repeat(43);
        assertThat(ApiKeys.parse("sk-tg-abcdefghijkl-" + secret)).isNotNull();
        for (String id : new String[] {"abcdefghijk!", "abc defghijk", "abcdefghijk-", "abcdéfghijkl", "abcdefghij\u0000l",
                "../../etc/pa"}) {
            assertThat(ApiKeys.parse("sk-tg-" + id + "-" + secret)).as(id).isNull();
        }
    }

    @Test
    void secretsOfTheWrongAlphabetOrLengthAreNotKeys() {
        String id = "abcdefghijkl";
        assertThat(ApiKeys.parse("sk-tg-" + id + "-" + "x".repeat(ApiKeys.MIN_SECRET_LENGTH))).isNotNull();
        assertThat(ApiKeys.parse("sk-tg-" + id + "-" + "x".repeat(ApiKeys.MAX_SECRET_LENGTH))).isNotNull();
        assertThat(ApiKeys.parse("sk-tg-" + id + "-" + "x".repeat(ApiKeys.MIN_SECRET_LENGTH - 1))).isNull();
        assertThat(ApiKeys.parse("sk-tg-" + id + "-" + "x".repeat(ApiKeys.MAX_SECRET_LENGTH + 1))).isNull();
        assertThat(ApiKeys.parse("sk-tg-" + id + "-" + "x".repeat(30) + "-" + "y".repeat(10))).isNull();
        assertThat(ApiKeys.parse("sk-tg-" + id + "-" + "x".repeat(30) + "%20")).isNull();
        assertThat(ApiKeys.parse("sk-tg-" + id)).isNull();
        assertThat(ApiKeys.parse(null)).isNull();
    }
}
