package io.tokengate.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Cold start: asleep, wake with a delay, {@code GET /health}, failing health checks. */
class SimulatorWakeTest {

    private static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";

    private static SimulatorSettings asleep(long wakeDelayMs) {
        return SimulatorSettings.defaults().withLatencies(Duration.ZERO, Duration.ZERO).withAsleep(true)
                .withWakeDelay(Duration.ofMillis(wakeDelayMs));
    }

    @Test
    void asleepAnswers503UntilWokenThenReadyAfterTheDelay() {
        try (SimHttp sim = SimHttp.start(asleep(300))) {
            HttpResponse<String> refused = sim.post("/v1/chat/completions", CHAT);
            assertThat(refused.statusCode()).isEqualTo(503);
            JsonNode error = SimHttp.json(refused).get("error");
            assertThat(error.get("code").asText()).isEqualTo("model_not_loaded");
            assertThat(error.get("type").asText()).isEqualTo("server_error");
            assertThat(refused.headers().firstValue("x-sim-state")).hasValue("asleep");
            assertThat(sim.get("/v1/models").statusCode()).isEqualTo(503);
            assertThat(sim.get("/health").statusCode()).isEqualTo(503);
            assertThat(sim.sim.isAsleep()).isTrue();
            assertThat(sim.sim.isReady()).isFalse();

            long wokeAt = System.nanoTime();
            HttpResponse<String> wake = sim.post("/sim/wake", "");
            assertThat(wake.statusCode()).isEqualTo(202);
            assertThat(SimHttp.json(wake).get("state").asText()).isEqualTo("waking");
            assertThat(SimHttp.json(wake).get("wake_delay_ms").asInt()).isEqualTo(300);
            HttpResponse<String> waking = sim.get("/health");
            assertThat(waking.statusCode()).isEqualTo(503);
            assertThat(waking.headers().firstValue("x-sim-state")).hasValue("waking");
            assertThat(sim.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(503);
            assertThat(sim.get("/sim/wake").statusCode()).as("a second wake changes nothing").isEqualTo(202);

            int checks = 2;
            while (sim.get("/health").statusCode() != 200) {
                checks++;
                assertThat(System.nanoTime() - wokeAt).isLessThan(TimeUnit.SECONDS.toNanos(5));
                SimHttp.sleep(20);
            }
            checks++;
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - wokeAt)).isGreaterThanOrEqualTo(290);
            HttpResponse<String> healthy = sim.get("/health");
            checks++;
            assertThat(healthy.body()).isEmpty();
            assertThat(sim.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
            assertThat(sim.sim.isReady()).isTrue();
            assertThat(sim.sim.wakes()).isEqualTo(2);
            assertThat(sim.sim.healthChecks()).isEqualTo(checks);
            JsonNode stats = SimHttp.json(sim.get("/sim/stats"));
            assertThat(stats.get("wakes").asInt()).isEqualTo(2);
            assertThat(stats.get("health_checks").asInt()).isEqualTo(checks);
            assertThat(sim.sim.stats()).isEqualTo(new SimulatorStats(3, 1, 0, 2));
        }
    }

    @Test
    void sleepAndWakeFromJava() {
        try (SimHttp sim = SimHttp.start()) {
            assertThat(sim.get("/health").statusCode()).isEqualTo(200);

            sim.sim.sleep();

            assertThat(sim.post("/v1/completions", "{\"model\":\"m\",\"prompt\":\"x\"}").statusCode()).isEqualTo(503);
            assertThat(sim.get("/health").statusCode()).isEqualTo(503);

            sim.sim.wake(); // no wake delay: ready at once

            assertThat(sim.sim.isReady()).isTrue();
            assertThat(sim.get("/health").statusCode()).isEqualTo(200);
            assertThat(sim.post("/v1/completions", "{\"model\":\"m\",\"prompt\":\"x\"}").statusCode()).isEqualTo(200);

            HttpResponse<String> again = sim.post("/sim/wake", "");
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(SimHttp.json(again).get("state").asText()).isEqualTo("ready");
            assertThat(sim.sim.wakes()).isEqualTo(2);
        }
    }

    @Test
    void wakeDelayCanBeChangedLive() {
        try (SimHttp sim = SimHttp.start(asleep(0))) {
            sim.sim.setWakeDelay(Duration.ofMillis(200));
            assertThat(SimHttp.json(sim.get("/sim/config")).get("wake_delay_ms").asInt()).isEqualTo(200);
            sim.sim.wake();
            assertThat(sim.sim.isReady()).isFalse();
            awaitReady(sim);

            HttpResponse<String> config = sim.send(sim.request("/sim/config")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"wake_delay_ms\":0,\"asleep\":true}")).build());
            assertThat(SimHttp.json(config).get("state").asText()).isEqualTo("asleep");
            assertThat(SimHttp.json(config).get("wake_delay_ms").asInt()).isZero();
            assertThat(sim.post("/sim/wake", "").statusCode()).isEqualTo(200);
            assertThat(sim.sim.isReady()).isTrue();
        }
    }

    @Test
    void sleepDuringWakeCancelsIt() {
        try (SimHttp sim = SimHttp.start(asleep(150))) {
            sim.sim.wake();
            assertThat(sim.post("/sim/sleep", "").statusCode()).isEqualTo(200);

            SimHttp.sleep(300);

            assertThat(sim.sim.isAsleep()).isTrue();
            assertThat(sim.get("/health").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void resetGoesBackToSleepWhenStartedAsleep() {
        try (SimHttp sim = SimHttp.start(asleep(0))) {
            sim.sim.wake();
            assertThat(sim.sim.isReady()).isTrue();
            sim.sim.setWakeDelay(Duration.ofSeconds(30));

            sim.sim.reset();

            assertThat(sim.sim.isAsleep()).isTrue();
            assertThat(sim.sim.wakes()).isZero();
            assertThat(sim.sim.settings().wakeDelay()).isEqualTo(Duration.ZERO);
        }
    }

    @Test
    void failHealthLeavesTheApiWorking() {
        try (SimHttp sim = SimHttp.start()) {
            sim.sim.failHealth(true);

            HttpResponse<String> health = sim.get("/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(sim.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);

            sim.sim.failHealth(false);
            assertThat(sim.get("/health").statusCode()).isEqualTo(200);

            sim.send(sim.request("/sim/config").PUT(HttpRequest.BodyPublishers.ofString("{\"fail_health\":true}")).build());
            assertThat(sim.get("/health").statusCode()).isEqualTo(503);
            assertThat(sim.sim.healthChecks()).isEqualTo(3);
        }
    }

    private static void awaitReady(SimHttp sim) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!sim.sim.isReady()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            SimHttp.sleep(10);
        }
    }
}
