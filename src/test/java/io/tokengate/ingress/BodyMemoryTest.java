package io.tokengate.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokengate.error.ErrorCatalog;
import io.tokengate.error.GatewayFailure;
import org.junit.jupiter.api.Test;

/** Bodies take memory from a tenant's share and from the whole; refusals are 429 and 503, before any byte is read. */
class BodyMemoryTest {

    @Test
    void aTenantPastItsShareIsRateLimitedWhileOthersStillGetMemory() {
        BodyMemory memory = new BodyMemory(10, 6);
        memory.take("a", 4);
        memory.take("a", 2);
        assertThatThrownBy(() -> memory.take("a", 1)).isInstanceOfSatisfying(GatewayFailure.class,
                e -> assertThat(ErrorCatalog.describe(e.error()).code()).isEqualTo("rate_limit_exceeded"));
        memory.take("b", 4);
        assertThat(memory.used()).isEqualTo(10);
    }

    @Test
    void pastTheWholeBudgetEveryoneIsToldTheServerIsBusyUntilMemoryIsGivenBack() {
        BodyMemory memory = new BodyMemory(10, 6);
        memory.take("a", 6);
        memory.take("b", 4);
        assertThatThrownBy(() -> memory.take("c", 1)).isInstanceOfSatisfying(GatewayFailure.class, e -> {
            assertThat(ErrorCatalog.describe(e.error()).status()).isEqualTo(503);
            assertThat(ErrorCatalog.describe(e.error()).code()).isEqualTo("server_overloaded");
        });
        assertThat(memory.used()).as("a refusal takes nothing").isEqualTo(10);
        memory.give("a", 6);
        memory.take("c", 6);
        assertThat(memory.used()).isEqualTo(10);
    }
}
