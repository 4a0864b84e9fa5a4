package io.tokengate.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tokengate.sim.Simulator;
import io.tokengate.sim.SimulatorSettings;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a real simulator (its own Vert.x, its own port) for {@code @QuarkusTest}s and points the gateway's pools
 * at it over HTTP: {@code sim-llama}/{@code sim-embed} (normal), {@code aliased} (another upstream model name),
 * {@code slow-llama} (short timeouts) and {@code dead-llama} (an endpoint where nothing listens). Health checks,
 * breakers and ejection are relaxed on these pools (see {@link #pool}).
 */
public class SimulatorResource implements QuarkusTestResourceLifecycleManager {
    private static Vertx vertx;
    private static Simulator simulator;

    /** The simulator the gateway under test talks to. */
    public static Simulator simulator() {
        return simulator;
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        SimulatorSettings settings = SimulatorSettings.defaults().withLatencies(Duration.ofMillis(5), Duration.ofMillis(1));
        simulator = Simulator.start(vertx, settings).toCompletionStage().toCompletableFuture().join();
        Map<String, String> config = new HashMap<>();
        pool(config, "sim", simulator.baseUrl());
        pool(config, "slow", simulator.baseUrl());
        pool(config, "dead", "http://127.0.0.1:" + unusedPort());
        pool(config, "h2c", simulator.baseUrl());
        config.put("tokengate.pools.h2c.http-version", "h2c");
        config.put("tokengate.pools.slow.timeouts.first-token", "400ms");
        config.put("tokengate.pools.slow.timeouts.total", "1500ms");
        config.put("tokengate.pools.slow.timeouts.idle", "400ms");
        model(config, "sim-llama", "sim");
        model(config, "sim-embed", "sim");
        model(config, "slow-llama", "slow");
        model(config, "dead-llama", "dead");
        model(config, "aliased", "sim");
        model(config, "h2c-llama", "h2c");
        config.put("tokengate.models.aliased.upstream-model", "upstream-name");
        config.put("tokengate.limits.max-body-bytes", "65536");
        return config;
    }

    @Override
    public void stop() {
        simulator.close().toCompletionStage().toCompletableFuture().join();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /**
     * Tests on these pools cause backend failures on purpose, one after another; breakers, passive ejection and
     * 429 ejection are kept out of their way here (they have their own tests, on their own pools).
     */
    private static void pool(Map<String, String> config, String pool, String url) {
        String p = "tokengate.pools." + pool;
        config.put(p + ".endpoints[0].url", url);
        config.put(p + ".breaker.request-volume", "1000");
        config.put(p + ".breaker.failure-ratio", "1.0");
        config.put(p + ".ejection.consecutive-failures", "1000");
        config.put(p + ".ejection.max-retry-after", "1ms");
        config.put(p + ".health.enabled", "false");
    }

    private static void model(Map<String, String> config, String model, String pool) {
        config.put("tokengate.models." + model + ".pools", pool);
    }

    /** A loopback port where nothing listens (bound once, then released). */
    public static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
