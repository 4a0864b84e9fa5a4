package io.tokengate.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tokengate.config.ModelRoute;
import io.tokengate.config.RouteTable;
import io.tokengate.request.Caller;
import io.tokengate.request.Operation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tenant-scoped fields (priority, cache_salt, kv_transfer_params and the like) are cut from the forwarded body
 * wherever and however often they appear, with their commas, and the tenant's own cache_salt is set first.
 */
class ScopedFieldsTest {
    private static final CacheSalt SALTS = new CacheSalt("another fixed secret".getBytes(StandardCharsets.UTF_8));
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private final OpenAiProtocol protocol = new OpenAiProtocol(new RouteTable(Map.of(
            "m", new ModelRoute("m", "m", List.of(), "x"),
            "n", new ModelRoute("n", "served-n", List.of(), "x")), Map.of(), 1000, 100, 0), SALTS);

    private String forwarded(String tenant, String json, String upstreamModel) {
        return protocol.parse(Operation.CHAT_COMPLETIONS, new Caller(tenant, null, "s", Set.of("*")),
                json.getBytes(StandardCharsets.UTF_8)).upstreamBody(upstreamModel, true).toString(StandardCharsets.UTF_8);
    }

    private String forwarded(String json) {
        return forwarded("acme", json, "m");
    }

    /** Through an operation that requires nothing but {@code model}, so that it can be the only other member. */
    private String modelAnd(String json) {
        return protocol.parse(Operation.GET_MODEL, new Caller("acme", null, "s", Set.of("*")),
                json.getBytes(StandardCharsets.UTF_8)).upstreamBody("m", true).toString(StandardCharsets.UTF_8);
    }

    private static String salted(String restOfObject) {
        return "{\"cache_salt\":\"" + SALTS.of("acme") + "\"," + restOfObject;
    }

    @Test
    void firstMiddleAndLastFieldsAreCutWithTheirCommas() {
        assertThat(forwarded("{\"priority\":-5,\"model\":\"m\",\"messages\":[]}")).isEqualTo(salted("\"model\":\"m\",\"messages\":[]}"));
        assertThat(forwarded("{\"model\":\"m\",\"priority\":-5,\"messages\":[]}")).isEqualTo(salted("\"model\":\"m\",\"messages\":[]}"));
        assertThat(forwarded("{\"model\":\"m\",\"messages\":[],\"priority\":-5}")).isEqualTo(salted("\"model\":\"m\",\"messages\":[]}"));
    }

    @Test
    void aPoolWithoutCacheSaltGetsTheCutsButNoSalt() {
        String json = "{\"model\":\"m\",\"cache_salt\":\"guess\",\"priority\":-5,\"messages\":[]}";
        assertThat(protocol.parse(Operation.CHAT_COMPLETIONS, new Caller("acme", null, "s", Set.of("*")),
                json.getBytes(StandardCharsets.UTF_8)).upstreamBody("m", false).toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"model\":\"m\",\"messages\":[]}");
    }

    @Test
    void whitespaceAroundKeysColonsAndCommasIsHandled() {
        assertThat(forwarded("{ \"priority\" : 1 ,\n \"model\" : \"m\" ,\t\"messages\":[] , \"cache_salt\" :\"x\"\r\n}"))
                .isEqualTo(salted(" \"model\" : \"m\" ,\t\"messages\":[] }"));
        assertThat(forwarded("{\"model\":\"m\" , \"kv_transfer_params\" : {} , \"messages\":[]}"))
                .isEqualTo(salted("\"model\":\"m\" , \"messages\":[]}"));
    }

    @Test
    void theOnlyFieldsBesidesModelAndRunsOfThemAreCut() {
        assertThat(modelAnd("{\"model\":\"m\",\"cache_salt\":\"x\"}")).isEqualTo(salted("\"model\":\"m\"}"));
        assertThat(modelAnd("{\"cache_salt\":\"x\",\"model\":\"m\"}")).isEqualTo(salted("\"model\":\"m\"}"));
        assertThat(modelAnd("{ \"cache_salt\" : \"x\" , \"model\" : \"m\" , \"priority\" : [1, {\"a\":2}] }"))
                .isEqualTo(salted(" \"model\" : \"m\" }"));
        assertThat(forwarded("{\"priority\":1,\"cache_salt\":\"x\",\"model\":\"m\",\"kv_transfer_params\":{},"
                + "\"request_id\":\"r\",\"messages\":[],\"priority\":2,\"rid\":\"q\"}"))
                .isEqualTo(salted("\"model\":\"m\",\"messages\":[]}"));
    }

    @Test
    void nestedValuesAreCutWholeAndNestedNamesAreLeftAlone() {
        String json = "{\"model\":\"m\",\"kv_transfer_params\":{\"do_remote_prefill\":true,\"remote_block_ids\":[[1,2],"
                + "{\"priority\":9}],\"s\":\"},\\\"priority\\\":1\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"metadata\":{\"priority\":3,\"cache_salt\":\"kept: not top-level\"}}";
        assertThat(forwarded(json)).isEqualTo(salted("\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"metadata\":{\"priority\":3,\"cache_salt\":\"kept: not top-level\"}}"));
    }

    @Test
    void duplicateAndEscapedKeysCannotSmuggleASaltThrough() throws Exception {
        String json = "{\"cache_salt\":\"x\",\"model\":\"m\",\"cache_salt\":\"y\",\"messages\":[],\"cache\\u005fsalt\":\"z\","
                + "\"pri\\u006frity\":-100}";
        String body = forwarded(json);

        JsonNode upstream = STRICT.readTree(body); // fails on any duplicate key
        assertThat(upstream.get("cache_salt").asText()).isEqualTo(SALTS.of("acme"));
        assertThat(upstream.has("priority")).isFalse();
        assertThat(body).isEqualTo(salted("\"model\":\"m\",\"messages\":[]}"));
    }

    @Test
    void cutsCombineWithTheModelAndUsagePatches() {
        String json = "{\"priority\":1,\"model\":\"n\",\"stream\":true,\"cache_salt\":\"x\",\"messages\":[]}";
        assertThat(forwarded("acme", json, "served-n")).isEqualTo("{\"cache_salt\":\"" + SALTS.of("acme") + "\","
                + "\"stream_options\":{\"include_usage\":true},\"model\":\"served-n\",\"stream\":true,\"messages\":[]}");
    }

    @Test
    void unicodeBeforeACutKeepsOffsetsRight() {
        assertThat(forwarded("{\"messages\":[{\"role\":\"user\",\"content\":\"héllo ✓ 😀\"}],\"priority\":1,\"model\":\"m\"}"))
                .isEqualTo(salted("\"messages\":[{\"role\":\"user\",\"content\":\"héllo ✓ 😀\"}],\"model\":\"m\"}"));
    }

    @Test
    void eachTenantHasItsOwnStableSaltThatDoesNotShowItsId() {
        String json = "{\"model\":\"m\",\"messages\":[]}";
        String a = saltOf(forwarded("acme", json, "m"));
        String b = saltOf(forwarded("globex", json, "m"));

        assertThat(a).isEqualTo(saltOf(forwarded("acme", json, "m"))).hasSize(43).doesNotContain("acme");
        assertThat(b).isNotEqualTo(a).hasSize(43);
        assertThat(new CacheSalt("a different secret".getBytes(StandardCharsets.UTF_8)).of("acme")).isNotEqualTo(a);
    }

    private static String saltOf(String body) {
        try {
            return STRICT.readTree(body).get("cache_salt").asText();
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }
}
