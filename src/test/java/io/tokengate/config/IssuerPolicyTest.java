package io.tokengate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issuers are https (unless insecure ones are allowed); their keys stay on their host (unless another is allowed). */
class IssuerPolicyTest {
    private static final IssuerPolicy STRICT = new IssuerPolicy(false, Set.of(), Optional.empty());
    private static final IssuerPolicy INSECURE = new IssuerPolicy(true, Set.of(), Optional.empty());

    @Test
    void issuersMustBeHttpsUnlessInsecureOnesAreAllowed() {
        assertThat(STRICT.problem("https://idp.example.com/realms/acme")).isEmpty();
        assertThat(STRICT.problem("http://idp.example.com/realms/acme")).hasValueSatisfying(
                p -> assertThat(p).contains("https").contains("tokengate.auth.allow-insecure-issuers"));
        assertThat(STRICT.problem("HTTP://idp.example.com")).isPresent();
        assertThat(STRICT.problem("ftp://idp.example.com")).isPresent();
        assertThat(STRICT.problem("not a url")).isPresent();
        assertThat(STRICT.problem("https:///no-host")).isPresent();
        assertThat(INSECURE.problem("http://127.0.0.1:8180/realms/acme")).isEmpty();
        assertThat(INSECURE.problem("ftp://idp.example.com")).isPresent();
    }

    @Test
    void keysMustStayOnTheIssuersHostUnlessAnotherIsAllowed() {
        String issuer = "https://idp.example.com/realms/acme";
        assertThat(STRICT.keysAllowed(issuer, "https://idp.example.com/realms/acme/protocol/openid-connect/certs")).isTrue();
        assertThat(STRICT.keysAllowed(issuer, "https://IDP.example.com:8443/certs")).isTrue();
        assertThat(STRICT.keysAllowed(issuer, "https://169.254.169.254/latest/meta-data")).isFalse();
        assertThat(STRICT.keysAllowed(issuer, "https://idp.example.com.evil.test/certs")).isFalse();
        assertThat(STRICT.keysAllowed(issuer, "https://x@idp.example.com/certs")).isFalse();
        assertThat(STRICT.keysAllowed(issuer, "http://idp.example.com/certs")).as("plain http keys").isFalse();
        assertThat(STRICT.keysAllowed(issuer, "/relative/certs")).isFalse();
        assertThat(STRICT.keysAllowed(issuer, null)).isFalse();
        IssuerPolicy google = new IssuerPolicy(false, Set.of("WWW.googleapis.com"), Optional.empty());
        assertThat(google.keysAllowed("https://accounts.google.com", "https://www.googleapis.com/oauth2/v3/certs"))
                .isTrue();
        assertThat(google.keysAllowed("https://accounts.google.com", "https://evil.test/certs")).isFalse();
    }

    @Test
    void anInsecureSharedIssuerFailsTheStartNamingTheKey() {
        IssuerPolicy policy = new IssuerPolicy(false, Set.of(), Optional.of("http://idp.example.com/realms/shared"));
        assertThatThrownBy(() -> policy.checkSharedIssuer(null)).isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("tokengate.auth.shared-issuer: must be an https URL");
        new IssuerPolicy(true, Set.of(), Optional.of("http://idp.example.com/realms/shared")).checkSharedIssuer(null);
    }
}
