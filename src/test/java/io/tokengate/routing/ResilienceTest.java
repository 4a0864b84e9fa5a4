package io.tokengate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.config.EndpointId;
import io.tokengate.sim.Simulator;
import io.tokengate.testing.Admin;
import io.tokengate.testing.FleetResource;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.Poll;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routing and resilience against a fleet of real simulators over HTTP: breakers, timeouts and fallbacks, cut
 * streams, refused connections, backend 429s, prefix affinity with bounded load, and pools scaled to zero.
 */
@QuarkusTest
@WithTestResource(FleetResource.class)
class ResilienceTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final OpenAIClient client = Gateway.sdk();

    private static final Duration GENEROUS = Duration.ofSeconds(30);

    @Inject
    Backends backends;
    @Inject
    PoolWaker waker;

    @BeforeEach
    void resetFleet() {
        for (Simulator s : FleetResource.trio) {
            s.reset();
        }
        FleetResource.slow.reset();
        FleetResource.backup.reset();
    }

    private static ChatCompletionCreateParams chat(String model, String prompt) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(prompt).maxCompletionTokens(4).build();
    }

    private static HttpResponse<String> raw(String key, String body) {
        return Gateway.send(HttpRequest.newBuilder(URI.create(Gateway.baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String body(String model, boolean stream, String extra) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"max_tokens\":6,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]" + extra + "}";
    }

    /** Polls {@code condition} (generous deadlines: a loaded 2-core CI must not fail a test that only waits). */
    private static void await(String what, BooleanSupplier condition) {
        Poll.until(what, GENEROUS, condition::getAsBoolean);
    }

    @Test
    void failingEndpointOpensItsBreakerClientsSeeNoErrorAndTheHalfOpenProbeClosesIt() throws Exception {
        Simulator sick = FleetResource.trio[1];
        Backend b = backends.endpoint(new EndpointId("trio", 1));
        closeByTraffic(b); // other tests may have tripped it
        sick.failAll(500);
        for (int i = 0; i < 30; i++) {
            assertThat(client.chat().completions().create(chat("trio-llama", "q" + i)).choices()).hasSize(1);
        }
        assertThat(b.breaker()).isEqualTo(Backend.BreakerState.OPEN);
        long before = sick.requests();
        for (int i = 0; i < 20; i++) {
            client.chat().completions().create(chat("trio-llama", "while open " + i));
        }
        assertThat(sick.requests()).as("an open breaker keeps traffic away").isEqualTo(before);

        sick.failAll(0);
        closeByTraffic(b); // traffic until the breaker's delay has passed and its half-open probe closes it
        assertThat(sick.requests()).isGreaterThan(before);
        String metrics = Gateway.management("/q/metrics").body();
        assertThat(metrics).contains("tokengate_upstream_breaker_transitions_total{endpoint=\"trio/1\",pool=\"trio\",state=\"open\"}")
                .contains("tokengate_upstream_breaker_transitions_total{endpoint=\"trio/1\",pool=\"trio\",state=\"closed\"}");
    }

    private void closeByTraffic(Backend b) throws InterruptedException {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        while (b.breaker() != Backend.BreakerState.CLOSED && System.nanoTime() < deadline) {
            client.chat().completions().create(chat("trio-llama", "probe"));
            Thread.sleep(10);
        }
        assertThat(b.breaker()).isEqualTo(Backend.BreakerState.CLOSED);
    }

    @Test
    void clientsHangingUpMidStreamDoNotCountAgainstTheBackend() throws Exception {
        double closedBefore = clientClosed();
        for (int i = 0; i < 6; i++) {
            HttpResponse<java.io.InputStream> stream = HTTP.send(HttpRequest.newBuilder(
                    URI.create(Gateway.baseUrl() + "/v1/chat/completions")).header("content-type", "application/json")
                    .header("authorization", "Bearer " + Gateway.DEMO_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(body("lif-llama", true, ",\"sim\":{\"itl_ms\":50,\"output_tokens\":40}")))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.body().read()).isPositive();
            stream.body().close(); // hang up mid-stream
        }
        await("six client hang-ups recorded", () -> clientClosed() >= closedBefore + 6); // recorded as 499, not stream_interrupted
        long now = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            assertThat(backends.endpoint(new EndpointId("lif", i)).ejected(now)).as("lif/" + i).isFalse();
        }
    }

    /** Requests of lif-llama that ended with the client gone (status class 4xx: 499), from /q/metrics. */
    private static double clientClosed() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "tokengate_requests_total\\{endpoint=\"chat\",model=\"lif-llama\",status_class=\"4xx\",tenant=\"demo\"} (\\S+)")
                .matcher(Gateway.management("/q/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void slowFirstTokenOfAStreamMovesToTheFallbackPoolWithinTheTimeoutAndAMargin() throws Exception {
        // Streams only: a non-streamed answer arrives whole, so its time is the answer's length, not the backend's
        // health; it has its own timeout (timeouts.non-stream) and is never moved (ClientBehaviourTest).
        FleetResource.slow.setLatencies(Duration.ofSeconds(3), Duration.ofMillis(1));
        long start = System.nanoTime();
        HttpResponse<String> response = raw(Gateway.DEMO_KEY, body("fallback-llama", true, ""));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ms).as("first-token timeout 300 ms plus a margin").isLessThan(1500);
        assertThat(response.body()).contains("data: [DONE]").doesNotContain("\"error\"");
        assertThat(FleetResource.backup.requests()).isEqualTo(1);
        HttpResponse<String> last = HTTP.send(HttpRequest.newBuilder(URI.create(FleetResource.backup.baseUrl()
                + "/sim/last-request")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(last.body()).contains("backup-llama");
    }

    @Test
    void streamCutAfterTokensEndsWithAnErrorEventNeverDone() {
        HttpResponse<String> response = raw(Gateway.DEMO_KEY, body("trio-llama", true, ",\"sim\":{\"cut_after\":3}"));
        assertThat(response.statusCode()).isEqualTo(200);
        long contentEvents = response.body().lines().filter(l -> l.contains("\"content\"")).count();
        assertThat(contentEvents).isGreaterThanOrEqualTo(3);
        assertThat(response.body()).contains("\"code\":\"stream_interrupted\"").doesNotContain("[DONE]");
    }

    @Test
    void streamCutBeforeTheFirstTokenIsAnsweredWholeByAnotherEndpoint() {
        FleetResource.trio[0].cutAll(0);
        FleetResource.trio[1].cutAll(0);
        try {
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> response = raw(Gateway.DEMO_KEY, body("trio-llama", true, ""));
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("data: [DONE]").doesNotContain("\"error\"");
            }
            assertThat(FleetResource.trio[2].requests()).isEqualTo(6);
        } finally {
            FleetResource.trio[0].cutAll(-1);
            FleetResource.trio[1].cutAll(-1);
        }
    }

    @Test
    void refusedConnectionIsRetriedElsewhereAndEjectsTheEndpoint() {
        for (int i = 0; i < 4; i++) {
            assertThat(client.chat().completions().create(chat("refused-llama", "r" + i)).choices()).hasSize(1);
        }
        assertThat(backends.endpoint(new EndpointId("refused", 0)).ejected(System.nanoTime())).isTrue();
        assertThat(FleetResource.trio[0].requests()).isEqualTo(4);
    }

    @Test
    void backend429TakesTheEndpointOutForItsRetryAfter() throws Exception {
        Simulator busy = FleetResource.trio[2];
        busy.failAll(429, 2);
        try {
            for (int i = 0; i < 3; i++) { // round robin: one of the three goes to the busy endpoint, and is retried
                assertThat(client.chat().completions().create(chat("rr-llama", "x" + i)).choices()).hasSize(1);
            }
            assertThat(busy.requests()).isEqualTo(1);
            Backend b = backends.endpoint(new EndpointId("rr", 2));
            assertThat(b.available(System.nanoTime())).isFalse();
            for (int i = 0; i < 6; i++) {
                client.chat().completions().create(chat("rr-llama", "y" + i));
            }
            assertThat(busy.requests()).as("out of rotation while its Retry-After lasts").isEqualTo(1);
            busy.failAll(0);
            await("rr/2 back after its Retry-After", () -> b.available(System.nanoTime()));
        } finally {
            busy.failAll(0);
        }
    }

    @Test
    void repeatedPrefixesLandOnOneEndpointAndAHotPrefixStaysWithinTheBound() throws Exception {
        String system = "You are a careful assistant for the ACME tax office. ".repeat(8);
        for (int i = 0; i < 12; i++) {
            raw(Gateway.DEMO_KEY, "{\"model\":\"affinity-llama\",\"max_tokens\":2,\"messages\":[{\"role\":\"system\",\"content\":\""
                    + system + "\"},{\"role\":\"user\",\"content\":\"question " + i + "\"}]}");
        }
        long[] requests = new long[3];
        long hits = 0;
        for (int i = 0; i < 3; i++) {
            requests[i] = FleetResource.trio[i].requests();
            hits += FleetResource.trio[i].prefixCacheHits();
        }
        assertThat(requests).containsExactlyInAnyOrder(12, 0, 0);
        assertThat(hits).isEqualTo(11);

        for (Simulator s : FleetResource.trio) {
            s.reset();
        }
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String b = "{\"model\":\"affinity-llama\",\"max_tokens\":2,\"sim\":{\"ttft_ms\":600},\"messages\":[{\"role\":\"system\",\"content\":\""
                    + system + "\"},{\"role\":\"user\",\"content\":\"hot " + i + "\"}]}";
            burst.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(Gateway.baseUrl() + "/v1/chat/completions"))
                    .header("content-type", "application/json").header("authorization", "Bearer " + Gateway.DEMO_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(b)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : burst) {
            assertThat(f.get().statusCode()).isEqualTo(200);
        }
        long max = 0;
        for (Simulator s : FleetResource.trio) {
            max = Math.max(max, s.requests());
        }
        // bounded load: at most ceil(1.25 * 30 / 3) = 13 of the 30 concurrent requests on one endpoint
        assertThat(max).isBetween(10L, 13L);
    }

    @Test
    void theSamePromptOfDifferentTenantsIsPlacedPerTenant() {
        String body = "{\"model\":\"affinity-llama\",\"max_tokens\":2,\"messages\":[{\"role\":\"system\",\"content\":\""
                + "You are a careful assistant for every tenant. ".repeat(8) + "\"}]}";
        Set<Integer> homes = new HashSet<>();
        for (int t = 0; t < 6; t++) {
            String key = Admin.limitedTenantWithKey("affinity-" + t, "{}");
            long[] before = requestsOfTrio();
            for (int i = 0; i < 3; i++) {
                assertThat(raw(key, body).statusCode()).isEqualTo(200);
            }
            long[] after = requestsOfTrio();
            List<Integer> used = IntStream.range(0, 3).filter(i -> after[i] > before[i]).boxed().toList();
            assertThat(used).hasSize(1); // one tenant's repeats stay on one endpoint
            homes.add(used.get(0));
        }
        assertThat(homes).hasSizeGreaterThan(1); // not every tenant's copy of the prompt on one endpoint's cache
    }

    private static long[] requestsOfTrio() {
        return IntStream.range(0, 3).mapToLong(i -> FleetResource.trio[i].requests()).toArray();
    }

    @Test
    void coldPoolWakesOnceServesAfterWakingAndTheWaitSpendsNoQuota() throws Exception {
        String key = Admin.limitedTenantWithKey("cold-co", "{\"requests_per_minute\":100}");
        await("cold/0 probed", () -> backends.endpoint(new EndpointId("cold", 0)).probed());
        assertThat(Gateway.management("/q/health/ready").body()).contains("cold (0/1");

        CompletableFuture<HttpResponse<String>> first = async(key, body("cold-llama", false, ""));
        CompletableFuture<HttpResponse<String>> second = async(key, body("cold-llama", true, ""));
        await("both requests wait for the cold pool", () -> waker.waiting("cold") == 2);
        HttpResponse<String> meanwhile = raw(key, body("trio-llama", false, ""));
        assertThat(meanwhile.headers().firstValue("x-ratelimit-remaining-requests"))
                .as("the two waiting requests are not counted yet").hasValue("99");
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(second.get().statusCode()).isEqualTo(200);
        assertThat(second.get().body()).contains("[DONE]");
        assertThat(FleetResource.cold.wakes()).as("woken once for both").isEqualTo(1);
    }

    @Test
    void aPreferredPoolAtZeroIsWokenWhileTheFallbackServes() throws Exception {
        await("sleepy/0 probed", () -> backends.endpoint(new EndpointId("sleepy", 0)).probed());
        long start = System.nanoTime();
        HttpResponse<String> first = raw(Gateway.DEMO_KEY, body("preferred-llama", false, ""));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).as("served by the fallback, no wait").isLessThan(250);
        assertThat(FleetResource.backup.requests()).isEqualTo(1);
        await("sleepy woken", () -> FleetResource.sleepy.wakes() == 1);
        await("sleepy/0 available", () -> backends.endpoint(new EndpointId("sleepy", 0)).available(System.nanoTime()));
        assertThat(raw(Gateway.DEMO_KEY, body("preferred-llama", false, "")).statusCode()).isEqualTo(200);
        assertThat(FleetResource.sleepy.requests()).as("once awake, the preferred pool serves").isEqualTo(1);
        assertThat(FleetResource.sleepy.wakes()).isEqualTo(1);
    }

    @Test
    void coldPoolPastItsDeadlineAnswers503WithRetryAfterAndCountsNothing() {
        String key = Admin.limitedTenantWithKey("frozen-co", "{\"requests_per_minute\":100}");
        long start = System.nanoTime();
        HttpResponse<String> response = raw(key, body("frozen-llama", false, ""));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"code\":\"no_healthy_backend\"").contains("deadline");
        assertThat(response.headers().firstValue("retry-after")).isPresent();
        assertThat(ms).isBetween(900L, 3000L);
        assertThat(FleetResource.frozen.wakes()).isGreaterThanOrEqualTo(1);
        HttpResponse<String> next = raw(key, body("trio-llama", false, ""));
        assertThat(next.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("99");
    }

    @Test
    void leastInFlightBeatsRoundRobinOnP99WhenOneEndpointIsFiveTimesSlower() throws Exception {
        for (Simulator s : FleetResource.trio) {
            s.setMaxConcurrency(4); // a bounded batch: latency grows with load, as on a GPU
            s.setLatencies(Duration.ofMillis(20), Duration.ZERO);
        }
        FleetResource.trio[2].setLatencies(Duration.ofMillis(100), Duration.ZERO);
        load("rr-llama", 48); // warm-up
        long rr = p99(load("rr-llama", 240));
        long lif = p99(load("lif-llama", 240));
        System.out.printf("p99 with one endpoint 5x slower: round robin %d ms, least in flight %d ms%n", rr, lif);
        assertThat(lif).isLessThan(rr * 3 / 4);
    }

    /** {@code n} requests from 24 concurrent clients (closed loop); the latencies in ms. */
    private static List<Long> load(String model, int n) throws Exception {
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(24);
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(n);
        List<java.util.concurrent.Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 24; c++) {
            clients.add(pool.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    long start = System.nanoTime();
                    assertThat(raw(Gateway.DEMO_KEY, body(model, false, "")).statusCode()).isEqualTo(200);
                    latencies.add((System.nanoTime() - start) / 1_000_000);
                }
            }));
        }
        for (java.util.concurrent.Future<?> f : clients) {
            f.get();
        }
        pool.shutdown();
        return latencies;
    }

    private static long p99(List<Long> latencies) {
        List<Long> sorted = new ArrayList<>(latencies);
        java.util.Collections.sort(sorted);
        return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    }

    private static CompletableFuture<HttpResponse<String>> async(String key, String body) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(Gateway.baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
