package io.tokengate.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tokengate.sim.Simulator;
import io.tokengate.sim.SimulatorSettings;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small GPU fleet of real simulators over HTTP for the routing and resilience tests:
 * <ul>
 * <li>{@code trio-llama}: three endpoints (least in flight), a breaker that opens after 4 requests at 50% failures
 * and probes again after 1.5 s; {@code affinity-llama}, {@code rr-llama}, {@code lif-llama}: the same three
 * simulators under prefix affinity, weighted round robin and least in flight;</li>
 * <li>{@code fallback-llama}: a primary pool whose first-token timeout is 300 ms, and a fallback pool serving another
 * upstream model;</li>
 * <li>{@code refused-llama}: an endpoint where nothing listens, then a live one (no active checks);</li>
 * <li>{@code cold-llama}: a pool scaled to zero whose wake action wakes it in 800 ms (deadline 10 s);
 * {@code frozen-llama}: one that does not wake before its 1 s deadline; {@code glacial-llama}: one that never wakes
 * during a test run (1 s deadline, a queue of 4 of which one tenant may hold 1); {@code preferred-llama}: a
 * preferred pool at zero with a live fallback. One tenant may hold the whole queue of the others (4).</li>
 * </ul>
 */
public class FleetResource implements QuarkusTestResourceLifecycleManager {
    private static Vertx vertx;
    public static Simulator[] trio;
    public static Simulator slow;
    public static Simulator backup;
    public static Simulator cold;
    public static Simulator frozen;
    public static Simulator glacial;
    public static Simulator sleepy;
    public static int deadPort;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        SimulatorSettings fast = SimulatorSettings.defaults().withLatencies(Duration.ofMillis(2), Duration.ofMillis(1));
        trio = new Simulator[] {start(fast), start(fast), start(fast)};
        slow = start(fast);
        backup = start(fast);
        cold = start(fast.withAsleep(true).withWakeDelay(Duration.ofMillis(800)));
        frozen = start(fast.withAsleep(true).withWakeDelay(Duration.ofSeconds(60)));
        glacial = start(fast.withAsleep(true).withWakeDelay(Duration.ofHours(1)));
        sleepy = start(fast.withAsleep(true).withWakeDelay(Duration.ofMillis(300)));
        deadPort = SimulatorResource.unusedPort();

        Map<String, String> c = new HashMap<>();
        for (String pool : List.of("trio", "affinity", "rr", "lif")) {
            for (int i = 0; i < 3; i++) {
                c.put("tokengate.pools." + pool + ".endpoints[" + i + "].url", trio[i].baseUrl());
            }
            c.put("tokengate.pools." + pool + ".health.interval", "300ms");
            c.put("tokengate.pools." + pool + ".retry.min-retries-per-second", "1000");
            model(c, pool + "-llama", pool);
        }
        c.put("tokengate.pools.trio.breaker.request-volume", "4");
        c.put("tokengate.pools.trio.breaker.failure-ratio", "0.5");
        c.put("tokengate.pools.trio.breaker.delay", "1500ms");
        c.put("tokengate.pools.trio.breaker.success-threshold", "1");
        c.put("tokengate.pools.trio.ejection.consecutive-failures", "1000");
        c.put("tokengate.pools.affinity.balancer", "prefix-affinity");
        c.put("tokengate.pools.affinity.affinity.prefix-bytes", "128");
        c.put("tokengate.pools.rr.balancer", "weighted-round-robin");
        for (String pool : List.of("rr", "lif")) {
            c.put("tokengate.pools." + pool + ".health.enabled", "false");
            c.put("tokengate.pools." + pool + ".breaker.request-volume", "1000");
        }

        c.put("tokengate.pools.first.endpoints[0].url", slow.baseUrl());
        c.put("tokengate.pools.first.timeouts.first-token", "300ms");
        c.put("tokengate.pools.first.breaker.request-volume", "1000");
        c.put("tokengate.pools.backup.endpoints[0].url", backup.baseUrl());
        model(c, "fallback-llama", "first,backup");
        c.put("tokengate.models.fallback-llama.upstream-models.backup", "backup-llama");

        c.put("tokengate.pools.refused.endpoints[0].url", "http://127.0.0.1:" + deadPort);
        c.put("tokengate.pools.refused.endpoints[1].url", trio[0].baseUrl());
        c.put("tokengate.pools.refused.balancer", "weighted-round-robin");
        c.put("tokengate.pools.refused.health.enabled", "false");
        c.put("tokengate.pools.refused.ejection.consecutive-failures", "1");
        c.put("tokengate.pools.refused.ejection.duration", "30s");
        c.put("tokengate.pools.refused.retry.min-retries-per-second", "1000");
        model(c, "refused-llama", "refused");

        coldPool(c, "cold", cold, "10s", 4);
        coldPool(c, "frozen", frozen, "1s", 4);
        coldPool(c, "sleepy", sleepy, "10s", 4);
        coldPool(c, "glacial", glacial, "1s", 1);
        model(c, "preferred-llama", "sleepy,backup");
        return c;
    }

    private static void coldPool(Map<String, String> c, String pool, Simulator sim, String deadline, int share) {
        c.put("tokengate.pools." + pool + ".endpoints[0].url", sim.baseUrl());
        c.put("tokengate.pools." + pool + ".health.interval", "10s"); // slow unless waking: the wake speeds it up
        c.put("tokengate.pools." + pool + ".wake.url", sim.baseUrl() + "/sim/wake");
        c.put("tokengate.pools." + pool + ".wake.deadline", deadline);
        c.put("tokengate.pools." + pool + ".wake.queue-size", "4");
        c.put("tokengate.pools." + pool + ".wake.queue-size-per-tenant", Integer.toString(share));
        model(c, pool + "-llama", pool);
    }

    private static void model(Map<String, String> c, String model, String pools) {
        c.put("tokengate.models." + model + ".pools", pools);
    }

    private static Simulator start(SimulatorSettings settings) {
        return Simulator.start(vertx, settings, 1).toCompletionStage().toCompletableFuture().join();
    }

    @Override
    public void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
