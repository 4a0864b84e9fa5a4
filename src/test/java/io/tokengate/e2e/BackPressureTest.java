package io.tokengate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.sim.SimulatorStats;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.RawSse;
import io.tokengate.testing.SimulatorResource;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading must stall the backend instead of making the gateway buffer the stream: the
 * simulator (which itself honours back-pressure) cannot finish an 80 MB stream while the client does not read.
 */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class BackPressureTest {
    private static final int TOKENS = 400_000;

    @Test
    void aStalledClientStallsTheBackendAndLosesNothing() throws Exception {
        URI base = URI.create(Gateway.baseUrl());
        String body = "{\"model\":\"sim-llama\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}],"
                + "\"sim\":{\"output_tokens\":" + TOKENS + ",\"ttft_ms\":0,\"itl_ms\":0}}";
        SimulatorStats before = SimulatorResource.simulator().stats();
        long before0 = SimulatorResource.simulator().streamedTokens();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setReceiveBufferSize(64 * 1024);
            send(socket.getOutputStream(), base, body);
            long plateau = awaitPlateau(before0); // not reading meanwhile

            // The backend stalls: no progress while the client does not read, far short of the whole stream
            // (socket buffers on the way hold a few MB; a gateway that buffered would let all of it through).
            assertThat(plateau).isGreaterThan(0).isLessThan(TOKENS / 4);
            assertThat(SimulatorResource.simulator().stats().completed()).isEqualTo(before.completed());
            assertThat(SimulatorResource.simulator().stats().requests()).isEqualTo(before.requests() + 1);

            long tokens = RawSse.readToEnd(socket.getInputStream()).tokens();
            assertThat(tokens).isEqualTo(TOKENS);
        }
        assertThat(SimulatorResource.simulator().stats().completed()).isEqualTo(before.completed() + 1);
    }

    /** Tokens streamed once the count stops moving for a second (fails if it keeps moving for 20 s). */
    private static long awaitPlateau(long base) throws InterruptedException {
        long previous = -1;
        for (int i = 0; i < 20; i++) {
            Thread.sleep(1000);
            long now = SimulatorResource.simulator().streamedTokens() - base;
            if (now == previous) {
                return now;
            }
            previous = now;
        }
        throw new AssertionError("the backend kept streaming while the client did not read: " + previous + " tokens");
    }

    private static void send(OutputStream out, URI base, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: " + base.getHost() + "\r\nContent-Type: application/json\r\nAuthorization: Bearer " + Gateway.DEMO_KEY + "\r\n"
                + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }
}
