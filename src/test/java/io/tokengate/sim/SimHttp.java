package io.tokengate.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Test fixture: a simulator on its own Vertx, called over real HTTP with java.net.http. */
final class SimHttp implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final Vertx vertx;
    final Simulator sim;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private SimHttp(Vertx vertx, Simulator sim) {
        this.vertx = vertx;
        this.sim = sim;
    }

    /** Default settings without latency, so that only the tests that ask for delays wait. */
    static SimHttp start() {
        return start(SimulatorSettings.defaults().withLatencies(Duration.ZERO, Duration.ZERO));
    }

    static SimHttp start(SimulatorSettings settings) {
        Vertx vertx = Vertx.vertx();
        return new SimHttp(vertx, await(Simulator.start(vertx, settings)));
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).timeout(Duration.ofSeconds(10));
    }

    HttpRequest postRequest(String path, String body) {
        return request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    HttpResponse<String> post(String path, String body) {
        return send(postRequest(path, body));
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** The payloads of the {@code data:} lines of a server-sent-event body, in order. */
    static List<String> events(String body) {
        assertThat(body).doesNotContain("\r");
        return Arrays.stream(body.split("\n\n")).filter(e -> !e.isBlank())
                .peek(e -> assertThat(e).startsWith("data: ")).map(e -> e.substring("data: ".length())).toList();
    }

    /** Polls the stats until {@code condition} holds, failing after 5 s. */
    SimulatorStats awaitStats(Predicate<SimulatorStats> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        SimulatorStats stats = sim.stats();
        while (!condition.test(stats)) {
            assertThat(System.nanoTime()).as("stats condition not reached: %s", stats).isLessThan(deadline);
            sleep(10);
            stats = sim.stats();
        }
        return stats;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
        await(vertx.close());
    }
}
