package io.tokengate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminKeyWarningTest {

    @Test
    void noWarningWithAnAdminKey() {
        assertThat(AdminKeyWarning.warning(Optional.of("k3y"), Optional.empty(), "tokengate-admin")).isEmpty();
    }

    @Test
    void withoutKeyOrIssuerTheAdminApiIsClosedAndTheWarningSaysHowToOpenIt() {
        assertThat(AdminKeyWarning.warning(Optional.empty(), Optional.empty(), "tokengate-admin")).hasValueSatisfying(
                w -> assertThat(w).contains("TOKENGATE_ADMIN_API_KEY", "answers every request 401"));
        assertThat(AdminKeyWarning.warning(Optional.of("  "), Optional.empty(), "tokengate-admin")).isPresent();
    }

    @Test
    void withASharedIssuerOnlyItsAdminTokensGetIn() {
        assertThat(AdminKeyWarning.warning(Optional.empty(), Optional.of("https://idp.example/realms/ops"), "ops-admin"))
                .hasValueSatisfying(w -> assertThat(w).contains("https://idp.example/realms/ops", "'ops-admin'")
                        .doesNotContain("401"));
    }
}
