package io.tokengate.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HTTP/2 over cleartext (prior knowledge and upgrade), as the gateway's h2c pools speak it, with a Vert.x client. */
class SimulatorHttp2Test extends SharedSimulatorTest {

    private static final String STREAM = """
            {"model":"m","stream":true,"messages":[{"role":"user","content":"x"}],"sim":{"output_tokens":3}}""";

    private static HttpClient client(boolean upgrade) {
        return sim.vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(upgrade).setDefaultHost("127.0.0.1").setDefaultPort(sim.sim.port()));
    }

    private static Future<String> post(HttpClient client, String body) {
        return client.request(HttpMethod.POST, "/v1/chat/completions").compose(req -> req.send(body)
                .compose(resp -> resp.body().map(b -> resp.version() + " " + resp.statusCode() + "\n" + b)));
    }

    @Test
    void streamsOverPriorKnowledgeH2c() {
        String answer = SimHttp.await(post(client(false), STREAM));

        assertThat(answer).startsWith("HTTP_2 200\n");
        List<String> events = SimHttp.events(answer.substring(answer.indexOf('\n') + 1));
        assertThat(events).hasSize(5).last().isEqualTo("[DONE]");
        assertThat(sim.sim.stats()).isEqualTo(new SimulatorStats(1, 1, 0, 0));
    }

    @Test
    void answersAfterAnH2cUpgrade() {
        HttpClient client = client(true);
        SimHttp.await(post(client, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        String second = SimHttp.await(post(client, STREAM));

        assertThat(second).startsWith("HTTP_2 200\n").endsWith("data: [DONE]\n\n");
        assertThat(sim.sim.stats()).isEqualTo(new SimulatorStats(2, 2, 0, 0));
    }

    @Test
    void streamResetCountsOneAbort() {
        HttpClient client = client(false);
        String slow = STREAM.replace("\"output_tokens\":3", "\"output_tokens\":500,\"itl_ms\":20");
        client.request(HttpMethod.POST, "/v1/chat/completions").onSuccess(req -> {
            req.response().onSuccess(resp -> resp.handler(chunk -> req.reset()));
            req.end(Buffer.buffer(slow));
        });

        assertThat(sim.awaitStats(s -> s.aborted() == 1)).isEqualTo(new SimulatorStats(1, 0, 1, 0));
        SimHttp.sleep(100);
        assertThat(sim.sim.stats()).isEqualTo(new SimulatorStats(1, 0, 1, 0));
    }
}
