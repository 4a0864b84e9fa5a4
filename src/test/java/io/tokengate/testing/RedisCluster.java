package io.tokengate.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A real Redis Cluster for tests: {@code masters} {@link RedisServer}s on free loopback ports with
 * {@code cluster-enabled yes} (each with its own {@code nodes.conf} in its data directory), no replicas. Built the
 * way {@code redis-cli --cluster create} does it, without redis-cli: every node gets an equal share of the 16384
 * slots ({@code CLUSTER ADDSLOTS}) and its own config epoch, then meets the first node ({@code CLUSTER MEET});
 * {@link #start} returns once every node reports {@code cluster_state:ok} and knows every other node.
 */
public final class RedisCluster implements AutoCloseable {
    public static final int SLOTS = 16384;
    private static final long READY_MILLIS = 20_000;

    private final List<RedisServer> nodes;

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = nodes;
    }

    /** A cluster of three masters. */
    public static RedisCluster start() {
        return start(3);
    }

    /** A cluster of {@code masters} masters, ready (all slots served, every node agrees). */
    public static RedisCluster start(int masters) {
        List<RedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < masters; i++) {
                nodes.add(RedisServer.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000", "--cluster-announce-ip", "127.0.0.1"));
            }
            RedisCluster cluster = new RedisCluster(List.copyOf(nodes));
            cluster.form();
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(RedisServer::close);
            throw e;
        }
    }

    private void form() {
        for (int i = 0; i < nodes.size(); i++) {
            RedisServer node = nodes.get(i);
            List<Object> addSlots = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            IntStream.range(SLOTS * i / nodes.size(), SLOTS * (i + 1) / nodes.size()).forEach(addSlots::add);
            Resp.call(node.port(), addSlots);
            node.call("CLUSTER", "SET-CONFIG-EPOCH", i + 1);
        }
        for (RedisServer node : nodes.subList(1, nodes.size())) {
            node.call("CLUSTER", "MEET", "127.0.0.1", nodes.get(0).port());
        }
        awaitReady();
    }

    /** Waits until every node says {@code cluster_state:ok} and knows all nodes. */
    public void awaitReady() {
        long deadline = System.currentTimeMillis() + READY_MILLIS;
        while (true) {
            List<String> notReady = nodes.stream().filter(node -> !ready(node)).map(n -> ":" + n.port()).toList();
            if (notReady.isEmpty()) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("cluster not ready on " + notReady + ": "
                        + nodes.get(0).call("CLUSTER", "INFO"));
            }
            sleep(50);
        }
    }

    private boolean ready(RedisServer node) {
        try {
            String info = String.valueOf(node.call("CLUSTER", "INFO"));
            return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + nodes.size())
                    && info.contains("cluster_slots_ok:" + SLOTS);
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    /** The nodes, in slot order (the first serves slots 0 to 5460 of three). */
    public List<RedisServer> nodes() {
        return nodes;
    }

    /** {@code redis://127.0.0.1:<port>} of every node (seed URLs). */
    public List<String> urls() {
        return nodes.stream().map(RedisServer::url).toList();
    }

    /** The node that serves {@code key} (asked with {@code CLUSTER KEYSLOT}). */
    public RedisServer nodeOf(String key) {
        long slot = (Long) nodes.get(0).call("CLUSTER", "KEYSLOT", key);
        return nodes.get(ownerIndex(slot));
    }

    private int ownerIndex(long slot) {
        for (int i = 0; i < nodes.size(); i++) {
            if (slot < (long) SLOTS * (i + 1) / nodes.size()) {
                return i;
            }
        }
        throw new IllegalArgumentException("slot " + slot);
    }

    /** The keys that {@code node} holds ({@code KEYS *}). */
    @SuppressWarnings("unchecked")
    public static List<String> keysOn(RedisServer node) {
        return (List<String>) node.call("KEYS", "*");
    }

    /** Empties every node ({@code FLUSHALL}, which acts on one node only in a cluster). */
    public void flushAll() {
        nodes.forEach(node -> node.call("FLUSHALL"));
    }

    /** Stops every node. */
    public void stop() {
        nodes.forEach(RedisServer::stop);
    }

    /** Stops every node and deletes its files. */
    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
