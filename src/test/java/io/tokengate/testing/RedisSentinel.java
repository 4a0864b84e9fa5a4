package io.tokengate.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A real Sentinel setup for tests: a master {@link RedisServer}, optional replicas of it, and one Sentinel
 * ({@code redis-server sentinel.conf --sentinel}, same binary) that monitors the master as {@value #MASTER_NAME}
 * with quorum 1. {@link #start} returns once the Sentinel names the master and lists every replica.
 * {@link #failover()} makes the Sentinel promote a replica ({@code SENTINEL FAILOVER}) and returns once the
 * Sentinel names the new master; the old one, still running, is demoted by the Sentinel some seconds later.
 */
public final class RedisSentinel implements AutoCloseable {
    public static final String MASTER_NAME = "mymaster";
    private static final long READY_MILLIS = 30_000;

    private final List<RedisServer> servers;
    private final RedisServer sentinel;

    private RedisSentinel(List<RedisServer> servers, RedisServer sentinel) {
        this.servers = servers;
        this.sentinel = sentinel;
    }

    /** A master and a Sentinel. */
    public static RedisSentinel start() {
        return start(0);
    }

    /** A master, {@code replicas} replicas of it and a Sentinel that knows them all. */
    public static RedisSentinel start(int replicas) {
        List<RedisServer> servers = new ArrayList<>();
        RedisServer sentinel = null;
        try {
            RedisServer master = RedisServer.start();
            servers.add(master);
            for (int i = 0; i < replicas; i++) {
                RedisServer replica = RedisServer.start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
                servers.add(replica);
                await("replica :" + replica.port() + " in sync", () -> info(replica).contains("master_link_status:up"));
            }
            sentinel = RedisServer.sentinel("""
                    sentinel monitor %s 127.0.0.1 %d 1
                    sentinel down-after-milliseconds %s 2000
                    sentinel failover-timeout %s 10000
                    sentinel parallel-syncs %s 1
                    """.formatted(MASTER_NAME, master.port(), MASTER_NAME, MASTER_NAME, MASTER_NAME));
            RedisSentinel setup = new RedisSentinel(List.copyOf(servers), sentinel);
            await("the sentinel names the master and its " + replicas + " replicas",
                    () -> setup.masterPort() == master.port() && setup.knownReplicas() == replicas);
            return setup;
        } catch (RuntimeException e) {
            if (sentinel != null) {
                sentinel.close();
            }
            servers.forEach(RedisServer::close);
            throw e;
        }
    }

    /** {@code redis://127.0.0.1:<sentinel port>}. */
    public String sentinelUrl() {
        return sentinel.url();
    }

    public RedisServer sentinel() {
        return sentinel;
    }

    /** The server the Sentinel names master now. */
    public RedisServer master() {
        int port = masterPort();
        return servers.stream().filter(s -> s.port() == port).findFirst()
                .orElseThrow(() -> new IllegalStateException("the sentinel names an unknown master :" + port));
    }

    /** Every data server (master and replicas), in start order. */
    public List<RedisServer> servers() {
        return servers;
    }

    /**
     * Forces a failover to a replica and returns the new master once the Sentinel names it and it says
     * {@code role:master}. The old master keeps running (as a master, until the Sentinel demotes it).
     */
    public RedisServer failover() {
        RedisServer old = master();
        sentinel.call("SENTINEL", "FAILOVER", MASTER_NAME);
        await("a new master after the failover", () -> masterPort() != old.port() && masterPort() != -1);
        RedisServer fresh = master();
        await("new master :" + fresh.port() + " promoted", () -> info(fresh).contains("role:master"));
        return fresh;
    }

    private int masterPort() {
        try {
            Object reply = sentinel.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
            return reply instanceof List<?> addr ? Integer.parseInt(String.valueOf(addr.get(1))) : -1;
        } catch (RuntimeException notYet) {
            return -1;
        }
    }

    private int knownReplicas() {
        try {
            Object reply = sentinel.call("SENTINEL", "REPLICAS", MASTER_NAME);
            if (!(reply instanceof List<?> replicas)) {
                return -1;
            }
            return (int) replicas.stream().filter(r -> r instanceof List<?> fields && fields.toString()
                    .matches(".*flags, slave(, |]).*")).count();
        } catch (RuntimeException notYet) {
            return -1;
        }
    }

    private static String info(RedisServer server) {
        try {
            return String.valueOf(server.call("INFO", "replication"));
        } catch (RuntimeException notYet) {
            return "";
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + READY_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Stops the Sentinel, then every server. */
    public void stop() {
        sentinel.stop();
        servers.forEach(RedisServer::stop);
    }

    /** Stops the Sentinel and every server, and deletes their files. */
    @Override
    public void close() {
        sentinel.close();
        servers.forEach(RedisServer::close);
    }
}
