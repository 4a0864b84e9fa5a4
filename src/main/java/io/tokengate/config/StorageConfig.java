package io.tokengate.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Shared state. */
public interface StorageConfig {
    /** Where shared state lives. */
    enum Kind {
        /** In this process: a single replica (the embedded default). */
        MEMORY,
        /** In Redis: every replica shares it. */
        REDIS
    }

    /** {@code memory} (single replica, the embedded default) or {@code redis} (every replica shares it). */
    @WithDefault("memory")
    Kind kind();

    /**
     * How the gateway reaches Redis when kind is {@code redis}: {@code standalone} (one server, or one address
     * that always reaches the current primary, at {@link #redisUrl()}), {@code cluster} (Redis Cluster: the
     * client learns the slot map from the seed nodes in {@link #redisUrls()}, sends each command to the master
     * of its key's slot and follows {@code MOVED}/{@code ASK}; replicas are never read) or {@code sentinel}
     * (the Sentinels in {@link #redisUrls()} name the current master of {@link #redisMasterName()}; the
     * gateway reconnects to the new master after a failover).
     */
    @WithDefault("standalone")
    String redisMode();

    /**
     * Redis URL when kind is {@code redis}, e.g. {@code redis://redis:6379} or {@code rediss://user:pw@host:6380/0}:
     * the server in mode {@code standalone} (required there); in modes {@code cluster} and {@code sentinel} one
     * more seed node or Sentinel, tried after {@link #redisUrls()} (enough alone, e.g. a Service in front of
     * every node or Sentinel).
     */
    Optional<String> redisUrl();

    /**
     * Modes {@code cluster} and {@code sentinel}: comma-separated URLs ({@code redis://[user:password@]host:port}
     * or {@code rediss://...}) of cluster seed nodes (any of them; the others are discovered), or of Sentinels
     * (with their port, usually 26379). Credentials, TLS and the database come from these URLs: with Sentinel,
     * the master is reached with the same user, password and scheme as the Sentinel. Not allowed in mode
     * {@code standalone}.
     */
    Optional<List<String>> redisUrls();

    /** Mode {@code sentinel}: name of the master set the Sentinels monitor ({@code sentinel monitor <name> ...}). */
    @WithDefault("mymaster")
    String redisMasterName();

    /** Longest wait for one Redis command before it counts as a store failure. */
    @WithDefault("2s")
    Duration redisTimeout();
}
