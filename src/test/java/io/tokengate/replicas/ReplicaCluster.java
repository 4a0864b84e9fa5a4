package io.tokengate.replicas;

import io.tokengate.sim.Simulator;
import io.tokengate.sim.SimulatorSettings;
import io.tokengate.testing.GatewayProcess;
import io.tokengate.testing.RedisServer;
import io.tokengate.testing.Scratch;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real deployment in miniature: one Redis server, one simulator, and N gateway replicas (the packaged jar as
 * separate processes, prod profile) sharing that Redis.
 */
final class ReplicaCluster implements AutoCloseable {
    static final String ADMIN_KEY = "it-admin-key-0123456789abcdef";
    final RedisServer redis;
    final Simulator simulator;
    final List<GatewayProcess> replicas = new ArrayList<>();
    private final Vertx vertx = Vertx.vertx();
    private final Path pepper;

    ReplicaCluster(int replicaCount, Map<String, String> extra) throws IOException {
        redis = RedisServer.start();
        simulator = Simulator.start(vertx, SimulatorSettings.defaults().withLatencies(Duration.ofMillis(2), Duration.ofMillis(1)))
                .toCompletionStage().toCompletableFuture().join();
        pepper = Scratch.file("pepper-", ".txt");
        Files.writeString(pepper, "integration-test-pepper-0123456789");
        for (int i = 0; i < replicaCount; i++) {
            replicas.add(GatewayProcess.start(properties(extra), Map.of("TOKENGATE_ADMIN_API_KEY", ADMIN_KEY)));
        }
    }

    private Map<String, String> properties(Map<String, String> extra) {
        Map<String, String> p = new HashMap<>();
        p.put("tokengate.storage.kind", "redis");
        p.put("tokengate.storage.redis-url", redis.url());
        p.put("tokengate.auth.key-pepper-ref", "file:" + pepper);
        p.put("tokengate.models.sim-llama.pools", "sim");
        p.put("tokengate.pools.sim.endpoints[0].url", simulator.baseUrl());
        p.putAll(extra);
        return p;
    }

    GatewayProcess replica(int i) {
        return replicas.get(i);
    }

    /** The admin API of replica {@code i}, with the cluster's admin key. */
    io.restassured.specification.RequestSpecification admin(int i) {
        return io.restassured.RestAssured.given().baseUri(replica(i).baseUrl()).contentType("application/json")
                .header("Authorization", "Bearer " + ADMIN_KEY);
    }

    /** Creates tenant {@code id} (all models; {@code limitsJson} may be null) through replica {@code i}; returns a key. */
    String tenantWithKey(int i, String id, String limitsJson) {
        admin(i).body("{\"id\":\"" + id + "\",\"allowed_models\":[\"*\"]"
                + (limitsJson == null ? "" : ",\"limits\":" + limitsJson) + "}").post("/admin/v1/tenants").then().statusCode(201);
        return admin(i).body("{\"name\":\"it\"}").post("/admin/v1/tenants/" + id + "/keys").then().statusCode(201)
                .extract().path("key");
    }

    @Override
    public void close() throws Exception {
        for (GatewayProcess replica : replicas) {
            replica.close();
        }
        simulator.close().toCompletionStage().toCompletableFuture().join();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        redis.close();
        Scratch.delete(pepper);
    }
}
