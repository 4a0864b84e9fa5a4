package io.tokengate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.testing.Admin;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.LogCapture;
import io.tokengate.testing.SimulatorResource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** After authenticated calls, failed logins and admin calls, no key, secret or token appears in the logs. */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class SecretsNeverLoggedTest {

    @Test
    void noCredentialReachesTheLogs() {
        try (LogCapture logs = LogCapture.start()) {
            String key = Admin.tenantWithKey("quiet-co", "[\"*\"]");
            String secret = key.substring(19);
            String wrongSecret = key.substring(0, 19) + "WrongSecretWrongSecretWrongSecretWrongSecret1";
            String jwtLike = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzb21lb25lIn0.c2lnbmF0dXJlLW5vdC12YWxpZA";
            ChatCompletionCreateParams chat = ChatCompletionCreateParams.builder().model("sim-llama")
                    .addUserMessage("the prompt text is private too").maxCompletionTokens(2).build();

            Gateway.sdk(key).chat().completions().create(chat);
            for (String bad : List.of(wrongSecret, jwtLike, "sk-tg-garbage")) {
                assertThatThrownBy(() -> Gateway.sdk(bad).chat().completions().create(chat))
                        .isInstanceOf(UnauthorizedException.class);
            }
            Admin.as("not-the-admin-key-but-close").get("/admin/v1/tenants").then().statusCode(401);

            String captured = logs.text();
            assertThat(captured).contains("tokengate.access"); // the capture works: access lines were logged
            for (String secretValue : List.of(key, secret, wrongSecret, jwtLike, Admin.ADMIN_KEY,
                    "not-the-admin-key-but-close", "the prompt text is private too", "Bearer ")) {
                assertThat(captured).doesNotContain(secretValue);
            }
        }
    }
}
