package io.tokengate.readme;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's examples work as written: the gateway is started with the README's run command (the launcher, the
 * packaged jar of this build), and every bash block of "Calling it" and of the admin section that calls curl runs
 * against it, parsed from README.md itself. Each call must answer 2xx with JSON (or a complete SSE stream).
 */
class ReadmeExamplesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Readme README = Readme.load();
    private static ReadmeGateway gateway;
    private static String startOutput;

    @BeforeAll
    static void start() throws Exception {
        gateway = new ReadmeGateway(runCommand());
        startOutput = gateway.awaitListening(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** The line of the Quick start's first bash block that starts the gateway. */
    private static String runCommand() {
        return Readme.codeBlocks(README.section("Quick start"), "bash").stream()
                .flatMap(block -> block.lines()).map(String::strip).filter(l -> l.startsWith("./tokengate run"))
                .findFirst().orElseThrow(() -> new AssertionError("no './tokengate run' in the Quick start"));
    }

    @Test
    void theRunCommandSaysWhichJavaAndServesTheDemoOnLoopbackOnly() throws IOException {
        assertThat(startOutput).contains("tokengate: using Java ", "Profile embedded activated")
                .contains("Listening on: http://127.0.0.1:" + gateway.port);
        assertThat(gateway.demoKey()).startsWith("sk-tg-");
        assertThat(startOutput).doesNotContain("No admin key is configured");
    }

    @Test
    void theCurlExamplesOfCallingItWork() throws Exception {
        List<String> blocks = curlBlocks("Calling it");
        assertThat(blocks).isNotEmpty();
        for (String block : blocks) {
            runAndCheck(block);
        }
    }

    @Test
    void theAdminExamplesWork() throws Exception {
        List<String> blocks = curlBlocks("Tenants, keys and the admin API");
        assertThat(blocks).isNotEmpty();
        for (String block : blocks) {
            List<CurlBlock.Call> calls = runAndCheck(block);
            assertThat(calls).anySatisfy(c -> assertThat(c.body()).contains("\"key\":\"sk-tg-"));
        }
    }

    private static List<String> curlBlocks(String section) {
        return Readme.codeBlocks(README.section(section), "bash").stream().filter(CurlBlock::isCurlExample).toList();
    }

    private static List<CurlBlock.Call> runAndCheck(String block) throws Exception {
        CurlBlock example = new CurlBlock(block);
        CurlBlock.Run run = example.run(gateway.port, Map.of("KEY", gateway.demoKey(),
                "TOKENGATE_ADMIN_API_KEY", gateway.adminKey));
        String context = "example:\n" + block + "\noutput:\n" + run.output();
        assertThat(run.exit()).as(context).isZero();
        assertThat(run.calls()).as(context).hasSize(example.expectedCalls());
        for (CurlBlock.Call call : run.calls()) {
            assertThat(call.status()).as(call.url()).isBetween(200, 299);
            checkBody(call);
        }
        return run.calls();
    }

    private static void checkBody(CurlBlock.Call call) throws IOException {
        if (call.body().startsWith("data: ")) {
            assertThat(call.body().strip()).as(call.url()).endsWith("data: [DONE]").doesNotContain("\"error\"");
            return;
        }
        JsonNode body = JSON.readTree(call.body());
        assertThat(body.isObject()).as(call.url() + " answers a JSON object").isTrue();
        assertThat(body.has("error")).as(call.url() + ": " + call.body()).isFalse();
        if (call.url().contains("/v1/chat/completions")) {
            assertThat(body.path("choices").path(0).path("message").path("content").isTextual()).as(call.body()).isTrue();
        }
    }
}
