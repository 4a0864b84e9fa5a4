package io.tokengate.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.testing.Admin;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Limits from tenant and key records, enforced at admission with OpenAI's 429s and x-ratelimit-* headers. */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class LimitsE2ETest {

    private static HttpResponse<String> chat(String key, int maxTokens, boolean stream) {
        String body = "{\"model\":\"sim-llama\",\"max_tokens\":" + maxTokens + ",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return Gateway.send(HttpRequest.newBuilder(URI.create(Gateway.baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void requestsPerMinuteGiveOpenAiHeadersAnd429() {
        String key = Admin.limitedTenantWithKey("rpm-co", "{\"requests_per_minute\":3}");
        HttpResponse<String> first = chat(key, 2, false);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-ratelimit-limit-requests")).hasValue("3");
        assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("2");
        assertThat(first.headers().firstValue("x-ratelimit-reset-requests")).isPresent();
        chat(key, 2, false);
        chat(key, 2, false);

        HttpResponse<String> limited = chat(key, 2, false);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).contains("\"code\":\"rate_limit_exceeded\"");
        assertThat(limited.headers().firstValue("retry-after")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        assertThat(limited.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
    }

    @Test
    void streamsCarryTheHeadersBeforeTheFirstByte() {
        String key = Admin.limitedTenantWithKey("stream-hdr-co", "{\"tokens_per_minute\":100000}");
        HttpResponse<String> stream = chat(key, 4, true);
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        assertThat(stream.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("100000");
        assertThat(stream.headers().firstValue("x-ratelimit-remaining-tokens")).isPresent();
    }

    @Test
    void aSpentBudgetIsInsufficientQuotaForTheSdk() {
        String key = Admin.limitedTenantWithKey("budget-co", "{\"token_budget\":{\"limit\":60,\"period\":\"month\"}}");
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("sim-llama")
                .addUserMessage("hi").maxCompletionTokens(20).build();
        long served = 0;
        int ok = 0;
        for (int i = 0; i < 6; i++) {
            try {
                served += Gateway.sdk(key).chat().completions().create(params).usage().orElseThrow().totalTokens();
                ok++;
            } catch (RateLimitException e) {
                assertThat(e.code()).hasValue("insufficient_quota");
            }
        }
        assertThat(ok).isBetween(1, 5);
        assertThat(served).isLessThanOrEqualTo(60);
        assertThatThrownBy(() -> Gateway.sdk(key).chat().completions().create(params))
                .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.code()).hasValue("insufficient_quota"));
    }

    @Test
    void theBudgetGaugeShowsTheShareLeftAfterAdmission() {
        String key = Admin.limitedTenantWithKey("gauge-co", "{\"token_budget\":{\"limit\":1000,\"period\":\"day\"}}");
        assertThat(chat(key, 100, false).statusCode()).isEqualTo(200);

        HttpResponse<String> scrape = Gateway.management("/q/metrics");
        java.util.regex.Matcher sample = java.util.regex.Pattern
                .compile("(?m)^tokengate_budget_remaining_ratio\\{tenant=\"gauge-co\",?} (\\S+)$").matcher(scrape.body());
        assertThat(sample.find()).as("the gauge of gauge-co in %s", scrape.body()).isTrue();
        // admission reserved the prompt plus max_tokens=100 of 1000 (a settle's give-back shows on the next request)
        assertThat(Double.parseDouble(sample.group(1))).isGreaterThan(0.5).isLessThanOrEqualTo(0.9);
    }

    @Test
    void keyLimitsApplyOnTopOfTheTenants() {
        Admin.limitedTenantWithKey("keylim-co", "{\"requests_per_minute\":100}");
        String tight = Admin.createKey("keylim-co", "{\"name\":\"tight\",\"limits\":{\"requests_per_minute\":1}}").path("key");
        assertThat(chat(tight, 2, false).statusCode()).isEqualTo(200);
        HttpResponse<String> second = chat(tight, 2, false);
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().firstValue("x-ratelimit-limit-requests")).hasValue("1");
    }

    @Test
    void tenantModelLimitsApplyToThatModelOnly() {
        Admin.admin().delete("/admin/v1/tenants/model-co");
        Admin.admin().body("{\"id\":\"model-co\",\"allowed_models\":[\"*\"],"
                + "\"model_limits\":{\"sim-embed\":{\"requests_per_minute\":1}}}").post("/admin/v1/tenants").then()
                .statusCode(201).body("model_limits.sim-embed.requests_per_minute", org.hamcrest.Matchers.is(1));
        String key = Admin.createKey("model-co", "{\"name\":\"m\"}").path("key");
        String embed = "{\"model\":\"sim-embed\",\"input\":\"x\"}";

        assertThat(post(key, embed).statusCode()).isEqualTo(200);
        assertThat(post(key, embed).statusCode()).isEqualTo(429);
        assertThat(chat(key, 2, false).statusCode()).isEqualTo(200);
        assertThat(chat(key, 2, false).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> post(String key, String body) {
        return Gateway.send(HttpRequest.newBuilder(URI.create(Gateway.baseUrl() + "/v1/embeddings"))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void unlimitedTenantsGetNoRateLimitHeaders() {
        HttpResponse<String> response = chat(Gateway.DEMO_KEY, 2, false);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-ratelimit-limit-requests")).isEmpty();
    }
}
