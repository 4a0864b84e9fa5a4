package io.tokengate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.core.JsonValue;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.testing.Admin;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a backend receives of the fields that steer its scheduling and cache (issue 14): the client's
 * {@code priority}, {@code kv_transfer_params} and {@code cache_salt} never arrive as sent, and every request carries
 * its tenant's own cache salt, whatever the position, spacing, duplication or streaming of the request.
 */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class TenantScopedFieldsTest {
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build(); // a duplicate key fails the parse
    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"same prompt for all\"}]";
    private static String acme;
    private static String globex;

    @BeforeAll
    static void tenants() {
        acme = Admin.tenantWithKey("scoped-acme", "[\"*\"]");
        globex = Admin.tenantWithKey("scoped-globex", "[\"*\"]");
    }

    private static String send(String key, String body) {
        HttpResponse<String> response = Gateway.send(HttpRequest.newBuilder(URI.create(Gateway.baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return upstreamBody();
    }

    private static String upstreamBody() {
        try {
            return STRICT.readTree(Gateway.lastUpstreamRequest()).get("body").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(String body) {
        try {
            return STRICT.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not one-key-once JSON: " + body, e);
        }
    }

    private static String salt(String upstreamBody) {
        return json(upstreamBody).get("cache_salt").asText();
    }

    @Test
    void plainRequestArrivesWithoutTheClientsFieldsAndOtherwiseByteForByte() {
        String sent = "{ \"priority\" : -100 ,\n \"model\":\"sim-llama\", \"max_tokens\":2," + MESSAGES
                + ",\"kv_transfer_params\":{\"do_remote_decode\":true,\"remote_block_ids\":[[1],[2]]},\"user\":\"u1\","
                + " \"cache_salt\" : \"guessed-salt\"\t}";
        String upstream = send(acme, sent);

        assertThat(upstream).isEqualTo("{\"cache_salt\":\"" + salt(upstream) + "\", \"model\":\"sim-llama\", "
                + "\"max_tokens\":2," + MESSAGES + ",\"user\":\"u1\"}"); // the cut runs to the closing brace
        assertThat(salt(upstream)).isNotEqualTo("guessed-salt").doesNotContain("scoped-acme").hasSize(43);
    }

    @Test
    void streamedRequestArrivesWithoutThemToo() {
        String sent = "{\"cache_salt\":\"guessed-salt\",\"model\":\"sim-llama\",\"stream\":true,\"priority\":-100,"
                + "\"max_tokens\":2," + MESSAGES + ",\"kv_transfer_params\":{}}";
        String upstream = send(acme, sent);

        assertThat(upstream).isEqualTo("{\"cache_salt\":\"" + salt(upstream) + "\",\"stream_options\":{\"include_usage\":true},"
                + "\"model\":\"sim-llama\",\"stream\":true,\"max_tokens\":2," + MESSAGES + "}");
        assertThat(salt(upstream)).isEqualTo(salt(send(acme, "{\"model\":\"sim-llama\",\"max_tokens\":2," + MESSAGES + "}")));
    }

    @Test
    void duplicateAndEscapedKeysSmuggleNothingThrough() {
        String upstream = send(acme, "{\"cache_salt\":\"x\",\"model\":\"sim-llama\",\"cache_salt\":\"y\",\"max_tokens\":2,"
                + MESSAGES + ",\"cache\\u005fsalt\":\"z\",\"priority\":1,\"priority\":2,\"kv_transfer_params\":null}");

        JsonNode arrived = json(upstream);
        assertThat(arrived.get("cache_salt").asText()).isNotIn("x", "y", "z");
        assertThat(arrived.has("priority")).isFalse();
        assertThat(arrived.has("kv_transfer_params")).isFalse();
    }

    @Test
    void eachTenantHasItsOwnSaltAndKeepsIt() {
        String plain = "{\"model\":\"sim-llama\",\"max_tokens\":2," + MESSAGES + "}";
        String acmeSalt = salt(send(acme, plain));
        String globexSalt = salt(send(globex, plain));

        assertThat(globexSalt).isNotEqualTo(acmeSalt);
        assertThat(salt(send(acme, plain))).isEqualTo(acmeSalt);
        assertThat(salt(send(globex, "{\"cache_salt\":\"" + acmeSalt + "\"," + plain.substring(1)))).isEqualTo(globexSalt);
    }

    @Test
    void theOfficialSdksExtraBodyFieldsAreCutLikeAnyOther() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("sim-llama")
                .addUserMessage("same prompt for all").maxCompletionTokens(2)
                .additionalBodyProperties(Map.of("priority", JsonValue.from(-100), "cache_salt", JsonValue.from("mine"),
                        "kv_transfer_params", JsonValue.from(Map.of("do_remote_prefill", true))))
                .build();
        Gateway.sdk(acme).chat().completions().create(params);

        JsonNode arrived = json(upstreamBody());
        assertThat(arrived.has("priority")).isFalse();
        assertThat(arrived.has("kv_transfer_params")).isFalse();
        assertThat(arrived.get("cache_salt").asText()).isNotEqualTo("mine").hasSize(43);
    }
}
