package io.tokengate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.sim.Simulator;
import io.tokengate.testing.Admin;
import io.tokengate.testing.ClientFaultFleet;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.RawSse;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Only the backend's own behaviour counts against it: a client that asks for a long answer, hangs up right after
 * its body, or stops reading a stream never opens a breaker, ejects an endpoint, spends a retry or keeps a slot (a
 * reader that never reads again is cut off after {@code timeouts.client-stall}, as its own fault),
 * while another tenant's requests to the same endpoints all succeed. Real simulators over HTTP
 * ({@link ClientFaultFleet}): a breaker there opens on 2 failures in 4, an endpoint is ejected on its first failure.
 */
@QuarkusTest
@WithTestResource(ClientFaultFleet.class)
class ClientBehaviourTest {
    private static String bystanderKey;

    @Inject
    Backends backends;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void bystanderTenant() {
        if (bystanderKey == null) {
            bystanderKey = Admin.tenantWithKey("bystander", "[\"*\"]");
        }
    }

    private Bystander bystander(String model) {
        return new Bystander(Gateway.sdk(bystanderKey), model);
    }

    @Test
    void longNonStreamedAnswersSlowerThanTheFirstTokenTimeoutAreServedWithoutRetryOrBlame() throws Exception {
        long before = pairRequests();
        int served;
        try (Bystander others = bystander("long-llama")) {
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) { // 300 tokens at 5 ms: 1.5 s, past the 1 s first-token timeout
                answers.add(CompletableFuture.supplyAsync(() -> Gateway.post("/v1/chat/completions",
                        body("long-llama", false, "{\"itl_ms\":5,\"output_tokens\":300}"))));
            }
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(response.body()).contains("\"completion_tokens\":300");
            }
            served = others.served();
        }
        assertThat(pairRequests() - before).as("no attempt was retried")
                .isBetween(4L + served, 4L + served + 1); // the bystander's last request may be in flight
        assertUntouched("long");
    }

    @Test
    void aNonStreamedAnswerPastTheNonStreamTimeoutEnds504WithoutRetryOrBlame() {
        long before = pairRequests();
        long start = System.nanoTime();
        HttpResponse<String> response = Gateway.post("/v1/chat/completions",
                body("capped-llama", false, "{\"itl_ms\":10,\"output_tokens\":500}")); // 5 s, the limit is 1.5 s
        assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
        assertThat(response.body()).contains("\"code\":\"upstream_timeout\"");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(4500));
        assertThat(pairRequests() - before).as("not retried").isEqualTo(1);
        assertUntouched("capped");
    }

    @Test
    void aClientHangingUpRightAfterItsBodyEndsItsAttemptAtOnceAndFreesTheSlot() throws Exception {
        double before = outcomes("hangup-llama", "4xx");
        try (Bystander others = bystander("hangup-llama")) {
            for (int i = 0; i < 4; i++) { // the backend would take 30 s; the first-token timeout is 20 s
                rawRequest(body("hangup-llama", false, "{\"ttft_ms\":30000}")).close();
            }
            await(() -> outcomes("hangup-llama", "4xx") >= before + 4, Duration.ofSeconds(10),
                    "the hung-up requests ended (499) well before the 20 s first-token timeout");
        }
        await(() -> inFlight("hangup") == 0 && upstreamInFlight() == 0, Duration.ofSeconds(10),
                "slots freed and upstream requests cancelled");
        assertUntouched("hangup");
    }

    @Test
    void aClientGoneBeforeDispatchIsNeverDispatched() throws Exception {
        double before = outcomes("cold-llama", "4xx");
        rawRequest(body("cold-llama", false, "{\"ttft_ms\":30000}")).close(); // gone while the pool wakes (1 s)
        await(() -> outcomes("cold-llama", "4xx") >= before + 1, Duration.ofSeconds(12),
                "the request ended (499) once the pool woke, well before the 20 s first-token timeout");
        assertThat(ClientFaultFleet.cold.requests()).as("never dispatched").isZero();
        assertThat(inFlight("cold")).isZero();
        assertUntouched("cold");
    }

    @Test
    void aReaderPausedLongerThanTheIdleTimeoutGetsTheWholeStreamAndTheBackendIsNotBlamed() throws Exception {
        int tokens = 100_000;
        long start = System.nanoTime();
        try (Bystander others = bystander("stall-llama");
                Socket reader = rawRequest(body("stall-llama", true, "{\"ttft_ms\":0,\"itl_ms\":0,\"output_tokens\":"
                        + tokens + "}"))) {
            long stillSince = awaitBackendStalled(); // the client reads nothing, the gateway pauses the backend
            await(() -> System.nanoTime() - stillSince > Duration.ofMillis(2500).toNanos()
                    && System.nanoTime() - start > Duration.ofMillis(4500).toNanos(), Duration.ofSeconds(10),
                    "paused well past the 1 s idle timeout, and past the 4 s total (the pause does not count)");
            RawSse.Read read = RawSse.readToEnd(reader.getInputStream());
            assertThat(read.tokens()).as("the whole stream, after the pause").isEqualTo(tokens);
            assertThat(read.done()).as("ends with [DONE], no error event").isTrue();
        }
        assertUntouched("stall");
    }

    @Test
    void aReaderThatNeverReadsAgainIsCutOffAfterTheClientStallTimeoutAsItsOwnFault() throws Exception {
        double before = outcomes("stuck-llama", null);
        long start = System.nanoTime();
        try (Bystander others = bystander("stuck-llama");
                Socket stuck = rawRequest(body("stuck-llama", true, "{\"ttft_ms\":0,\"itl_ms\":0,\"output_tokens\":400000}"))) {
            await(() -> outcomes("stuck-llama", null) >= before + 1, Duration.ofSeconds(20),
                    "the stalled stream ended (bounded by the 3 s client-stall timeout)");
        }
        assertUntouched("stuck");
        assertThat(outcomes("stuck-llama", "4xx")).as("recorded as the client's fault").isGreaterThan(0);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("cut by client-stall, not by the 1 s idle timeout")
                .isGreaterThan(Duration.ofMillis(2500));
        await(() -> inFlight("stuck") == 0 && upstreamInFlight() == 0, Duration.ofSeconds(10),
                "slot freed and upstream request cancelled");
    }

    /** Waits until the simulators stream nothing for 500 ms; returns since when. */
    private static long awaitBackendStalled() throws InterruptedException {
        long last = -1;
        long since = System.nanoTime();
        long deadline = since + Duration.ofSeconds(20).toNanos();
        while (true) {
            long now = System.nanoTime();
            long streamed = streamedTokens();
            if (streamed != last) {
                last = streamed;
                since = now;
            } else if (streamed > 0 && now - since > Duration.ofMillis(500).toNanos()) {
                return since;
            }
            assertThat(now).as("the backend stalls while the client does not read").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Breakers closed, nothing ejected. */
    private void assertUntouched(String pool) {
        long now = System.nanoTime();
        for (Backend b : backends.pool(pool)) {
            assertThat(b.breaker()).as(b + " breaker").isEqualTo(Backend.BreakerState.CLOSED);
            assertThat(b.ejected(now)).as(b + " ejected").isFalse();
        }
    }

    private int inFlight(String pool) {
        return backends.pool(pool).stream().mapToInt(Backend::inFlight).sum();
    }

    private static long pairRequests() {
        long n = 0;
        for (Simulator s : ClientFaultFleet.pair) {
            n += s.requests();
        }
        return n;
    }

    private static long streamedTokens() {
        long n = 0;
        for (Simulator s : ClientFaultFleet.pair) {
            n += s.streamedTokens();
        }
        return n;
    }

    private static long upstreamInFlight() {
        long n = 0;
        for (Simulator s : ClientFaultFleet.pair) {
            n += s.inFlight();
        }
        return n;
    }

    /** The demo tenant's requests of {@code model} that ended with {@code statusClass} (null: any). */
    private double outcomes(String model, String statusClass) {
        var search = registry.find("tokengate.requests").tags("tenant", "demo", "model", model);
        if (statusClass != null) {
            search = search.tag("status_class", statusClass);
        }
        return search.counters().stream().mapToDouble(Counter::count).sum();
    }

    /** A chat request of {@code model}, simulator controls {@code sim}; streams name no max_tokens (no cap). */
    private static String body(String model, boolean stream, String sim) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + (stream ? "" : ",\"max_tokens\":1000")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"sim\":" + sim + "}";
    }

    /** A raw HTTP/1.1 request on a fresh socket, body sent in full; the caller closes it or stops reading. */
    private static Socket rawRequest(String body) throws Exception {
        URI base = URI.create(Gateway.baseUrl());
        Socket socket = new Socket();
        socket.setReceiveBufferSize(64 * 1024); // small: a reader that stops fills it soon
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: " + base.getHost()
                + "\r\nContent-Type: application/json\r\nAuthorization: Bearer " + Gateway.DEMO_KEY
                + "\r\nContent-Length: " + bytes.length + "\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return socket;
    }

    private static void await(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + ", within " + within).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
