package io.tokengate.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tokengate.sim.Simulator;
import io.tokengate.sim.SimulatorSettings;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Real simulators over HTTP for the tests of client behaviour that must never count against a backend. Every pool
 * has two endpoints, a breaker that opens on 2 failures in a window of 4 (and stays open a minute), passive
 * ejection after 1 failure (a pool of two may lose one), retries, and no active checks, so a single misjudged
 * request shows as an open breaker or an ejected endpoint:
 * <ul>
 * <li>{@code long-llama}: first-token timeout 1 s; long non-streamed answers take longer;</li>
 * <li>{@code capped-llama}: the same simulators with {@code timeouts.non-stream} 1500 ms;</li>
 * <li>{@code hangup-llama}: first-token timeout 20 s, so an attempt left hanging holds its slot that long;</li>
 * <li>{@code cold-llama}: one simulator at zero that wakes in 1 s (the client is gone before dispatch);</li>
 * <li>{@code stall-llama}: idle timeout 1 s, total 4 s, client-stall timeout 20 s; {@code stuck-llama}: idle 1 s, client-stall
 * 3 s.</li>
 * </ul>
 */
public class ClientFaultFleet implements QuarkusTestResourceLifecycleManager {
    private static Vertx vertx;
    public static Simulator[] pair;
    public static Simulator cold;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        SimulatorSettings fast = SimulatorSettings.defaults().withLatencies(Duration.ofMillis(2), Duration.ofMillis(1));
        pair = new Simulator[] {start(fast), start(fast)};
        cold = start(fast.withAsleep(true).withWakeDelay(Duration.ofSeconds(1)));
        Map<String, String> c = new HashMap<>();
        pool(c, "long", pair[0], pair[1]);
        c.put("tokengate.pools.long.timeouts.first-token", "1s");
        pool(c, "capped", pair[0], pair[1]);
        c.put("tokengate.pools.capped.timeouts.non-stream", "1500ms");
        pool(c, "hangup", pair[0], pair[1]);
        c.put("tokengate.pools.hangup.timeouts.first-token", "20s");
        pool(c, "stall", pair[0], pair[1]);
        c.put("tokengate.pools.stall.timeouts.idle", "1s");
        c.put("tokengate.pools.stall.timeouts.client-stall", "20s");
        c.put("tokengate.pools.stall.timeouts.total", "4s");
        pool(c, "stuck", pair[0], pair[1]);
        c.put("tokengate.pools.stuck.timeouts.idle", "1s");
        c.put("tokengate.pools.stuck.timeouts.client-stall", "3s");
        pool(c, "cold", cold);
        c.put("tokengate.pools.cold.timeouts.first-token", "20s");
        c.put("tokengate.pools.cold.health.enabled", "true");
        c.put("tokengate.pools.cold.health.interval", "10s"); // slow unless waking: the wake speeds it up
        c.put("tokengate.pools.cold.wake.url", cold.baseUrl() + "/sim/wake");
        c.put("tokengate.pools.cold.wake.deadline", "15s");
        return c;
    }

    private static void pool(Map<String, String> c, String pool, Simulator... sims) {
        String p = "tokengate.pools." + pool;
        for (int i = 0; i < sims.length; i++) {
            c.put(p + ".endpoints[" + i + "].url", sims[i].baseUrl());
        }
        c.put(p + ".health.enabled", "false");
        c.put(p + ".breaker.request-volume", "4");
        c.put(p + ".breaker.failure-ratio", "0.5");
        c.put(p + ".breaker.delay", "60s");
        c.put(p + ".ejection.consecutive-failures", "1");
        c.put(p + ".ejection.duration", "60s");
        c.put(p + ".retry.min-retries-per-second", "1000");
        c.put("tokengate.models." + pool + "-llama.pools", pool);
    }

    private static Simulator start(SimulatorSettings settings) {
        return Simulator.start(vertx, settings, 1).toCompletionStage().toCompletableFuture().join();
    }

    @Override
    public void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
