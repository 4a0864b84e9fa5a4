package io.tokengate.testing;

import io.tokengate.storage.RedisTopology;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Redis topology per test class, as a JUnit extension: a standalone server, a three-master Cluster or a
 * master behind a Sentinel, started before the class and closed (its files deleted) after it, with the clients of
 * two gateway replicas ({@link RedisReplicas}). Register it once in each store test:
 * {@code @RegisterExtension static final RedisFixture redis = RedisFixture.cluster(1);}
 */
public final class RedisFixture implements BeforeAllCallback, AfterAllCallback {
    private final RedisTopology.Mode mode;
    private final int secondSeed;
    private RedisServer server;
    private RedisCluster cluster;
    private RedisSentinel sentinel;
    private RedisReplicas replicas;

    private RedisFixture(RedisTopology.Mode mode, int secondSeed) {
        this.mode = mode;
        this.secondSeed = secondSeed;
    }

    /** A standalone Redis server; both replicas connect to it. */
    public static RedisFixture standalone() {
        return new RedisFixture(RedisTopology.Mode.STANDALONE, 0);
    }

    /**
     * A three-master Cluster: the first replica is given every node as seed, the second only node
     * {@code secondSeed} (it must discover the rest).
     */
    public static RedisFixture cluster(int secondSeed) {
        return new RedisFixture(RedisTopology.Mode.CLUSTER, secondSeed);
    }

    /** A master found through a Sentinel; both replicas ask the Sentinel. */
    public static RedisFixture sentinel() {
        return new RedisFixture(RedisTopology.Mode.SENTINEL, 0);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        switch (mode) {
            case STANDALONE -> {
                server = RedisServer.start();
                replicas = new RedisReplicas(RedisTopology.standalone(server.url()));
            }
            case CLUSTER -> {
                cluster = RedisCluster.start();
                replicas = new RedisReplicas(RedisTopology.cluster(cluster.urls()),
                        RedisTopology.cluster(List.of(cluster.urls().get(secondSeed))));
            }
            case SENTINEL -> {
                sentinel = RedisSentinel.start();
                replicas = new RedisReplicas(RedisTopology.sentinel(List.of(sentinel.sentinelUrl()),
                        RedisSentinel.MASTER_NAME));
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (replicas != null) {
            replicas.close();
        }
        if (server != null) {
            server.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (sentinel != null) {
            sentinel.close();
        }
    }

    /** The clients of the two replicas. */
    public RedisReplicas replicas() {
        return replicas;
    }

    /** Deletes every key: on every master of a Cluster, else through the first client. */
    public void flushAll() {
        if (cluster != null) {
            cluster.flushAll();
        } else {
            replicas.flushAll();
        }
    }

    /** The standalone server (to stop, restart or freeze it). */
    public RedisServer server() {
        return require(server, "standalone");
    }

    /** The Cluster (its nodes and slot owners). */
    public RedisCluster cluster() {
        return require(cluster, "cluster");
    }

    private <T> T require(T part, String kind) {
        if (part == null) {
            throw new IllegalStateException("this fixture is " + mode + ", not " + kind + " (or is not started)");
        }
        return part;
    }
}
