package io.tokengate.storage;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tokengate.config.GatewayConfig;
import io.tokengate.config.InvalidConfigException;
import io.tokengate.storage.StoreUnavailable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The process's one Redis client (used when {@code tokengate.storage.kind=redis}): a pool of connections for
 * commands and one dedicated pub/sub connection that reconnects by itself.
 *
 * <p>Redis is a standalone server, a Redis Cluster or a Sentinel-monitored master ({@link RedisTopology}, from
 * {@code tokengate.storage.redis-mode}). With Cluster every command goes to the master of its key's slot (replicas
 * are never read: a limit check must see the last write); a script runs on the slot of its keys, which must all
 * share one slot (the stores hash-tag every key of a tenant with {@code {t:<tenant>}}); {@link #batch} may mix
 * slots. Pub/sub works in every mode: Cluster broadcasts {@code PUBLISH} to every node, so one subscription on any
 * master receives what any replica publishes. With Sentinel the client asks the Sentinels for the master and
 * listens on a Sentinel for {@code +switch-master}: when the master changes, every connection (and the pub/sub
 * one) reconnects at once and again after the topology cache expires, so that no connection keeps writing to a
 * demoted master that is still alive (Sentinel closes its clients too, but only when it reconfigures it, seconds
 * later).
 *
 * <p>Every command is bounded by {@code tokengate.storage.redis-timeout}. Any failure (connection refused or
 * lost, timeout, an error reply) surfaces as a failed {@code Uni} with {@link StoreUnavailable}: callers decide
 * their policy (reject or allow) and never see Vert.x exceptions. Results are delivered on the Vert.x context of
 * the caller (or an event loop when called from elsewhere); nothing here blocks.
 *
 * <p>The bean is created lazily: only the Redis-backed stores ask for it, so the in-memory default never connects.
 */
@Singleton
public class RedisConnection {
    /**
     * Pooled connections per Redis node (besides the one each event loop keeps) before callers queue; queued
     * commands still respect the timeout.
     */
    static final int POOL_SIZE = 32;
    static final int POOL_WAITING = 8192;
    /** Largest pipeline sent at once (Vert.x refuses more than its per-connection waiting queue, 2048). */
    public static final int MAX_BATCH = 1000;
    /** How long the client trusts a Cluster slot map or a Sentinel's answer before asking again. */
    static final long TOPOLOGY_TTL_MILLIS = 1000;
    /** The Sentinel channel that announces a new master: {@code <name> <old ip> <old port> <new ip> <new port>}. */
    static final String SWITCH_MASTER = "+switch-master";
    private static final Logger LOG = Logger.getLogger(RedisConnection.class);

    private final Vertx vertx;
    private final Redis client;
    private final Subscriber subscriber;
    private final EventLoopConnections connections;
    private final long timeoutMillis;
    private final RedisTopology topology;
    private final Subscriber failovers;
    private volatile boolean closed;

    /**
     * The CDI constructor: fails fast with an {@link InvalidConfigException} naming the key when the Redis
     * configuration cannot work (see {@link RedisTopology#of(StorageConfig)}).
     */
    @Inject
    public RedisConnection(Vertx vertx, GatewayConfig config) {
        this(vertx, RedisTopology.of(config.storage()), config.storage().redisTimeout());
    }

    /** A client on {@code vertx} for {@code url} (e.g. {@code redis://127.0.0.1:6379}); for tests and tools. */
    public RedisConnection(Vertx vertx, String url, Duration timeout) {
        this(vertx, RedisTopology.standalone(url), timeout);
    }

    /** A client on {@code vertx} for a standalone server, a Cluster or a Sentinel-monitored master. */
    public RedisConnection(Vertx vertx, RedisTopology topology, Duration timeout) {
        this.vertx = vertx;
        this.topology = topology;
        this.timeoutMillis = Math.max(1, timeout.toMillis());
        this.client = Redis.createClient(vertx, options(topology, POOL_SIZE + eventLoops(vertx))
                .setMaxPoolWaiting(POOL_WAITING));
        // two per node: the subscription, and (Cluster) the slot map refresh, which borrows from the same pool
        this.subscriber = new Subscriber("redis pub/sub", vertx, Redis.createClient(vertx, options(topology, 2)));
        this.connections = new EventLoopConnections(vertx, client, topology.mode() == RedisTopology.Mode.CLUSTER);
        if (topology.mode() == RedisTopology.Mode.SENTINEL) {
            this.failovers = new Subscriber("redis sentinel", vertx, Redis.createClient(vertx,
                    options(topology, 2).setRole(RedisRole.SENTINEL)));
            failovers.subscribe(SWITCH_MASTER, this::switchedMaster);
        } else {
            this.failovers = null;
        }
    }

    /** The topology this client connects to. */
    public RedisTopology topology() {
        return topology;
    }

    /** Sends one command. */
    public Uni<Response> send(Request request) {
        return guarded(request.command().toString(), () -> connections.send(request));
    }

    /**
     * Sends commands pipelined, {@value #MAX_BATCH} at a time, and returns the replies in order (not atomic: use a
     * {@link Script} for that). Each slice gets the full timeout. Standalone and Sentinel send a slice as one
     * batch on one connection; Cluster sends each command of a slice to its own key's master (pipelined on the
     * event loop's cluster connection), so the commands may touch keys of any slots.
     */
    public Uni<List<Response>> batch(List<Request> requests) {
        if (requests.size() <= MAX_BATCH) {
            return requests.isEmpty() ? Uni.createFrom().item(List.of())
                    : guarded("batch", () -> topology.mode() == RedisTopology.Mode.CLUSTER
                            ? connections.sendEach(requests) : client.batch(requests));
        }
        List<List<Request>> slices = new ArrayList<>();
        for (int from = 0; from < requests.size(); from += MAX_BATCH) {
            slices.add(requests.subList(from, Math.min(from + MAX_BATCH, requests.size())));
        }
        return Multi.createFrom().iterable(slices).onItem().transformToUniAndConcatenate(this::batch)
                .collect().in(ArrayList::new, List::addAll);
    }

    /**
     * Runs a Lua script atomically with EVALSHA, falling back to EVAL (which caches it) when the server does not
     * know it yet, e.g. after a restart.
     */
    public Uni<Response> eval(Script script, List<String> keys, List<String> args) {
        return guarded(script.name(), () -> connections.send(script.request(Command.EVALSHA, keys, args))
                .recover(error -> Script.unknown(error)
                        ? connections.send(script.request(Command.EVAL, keys, args))
                        : Future.failedFuture(error)));
    }

    /** True when Redis answers PING within the timeout (for readiness checks); never fails. */
    public Uni<Boolean> ping() {
        return send(Request.cmd(Command.PING)).map(reply -> reply != null)
                .onFailure().recoverWithItem(false);
    }

    /**
     * Delivers every message published on {@code channel} to {@code onMessage} (on an event loop: do not block)
     * through the dedicated pub/sub connection, which resubscribes by itself after Redis comes back. Messages
     * published while the connection is down are lost (pub/sub is fire-and-forget).
     */
    public void subscribe(String channel, Consumer<String> onMessage) {
        subscriber.subscribe(channel, onMessage);
    }

    /**
     * Like {@link #subscribe(String, Consumer)}, and runs {@code onSubscribed} each time the pub/sub connection has
     * (re)subscribed: messages published while it was down were lost, so whatever was derived from earlier
     * messages (a cache kept fresh by them) must be dropped.
     */
    public void subscribe(String channel, Consumer<String> onMessage, Runnable onSubscribed) {
        subscriber.subscribe(channel, onMessage, onSubscribed);
    }

    /** Closes the pub/sub connection and the pool; later calls fail with {@link StoreUnavailable}. */
    public void close() {
        closed = true;
        if (failovers != null) {
            failovers.close();
        }
        subscriber.close();
        connections.close();
        client.close();
    }

    void onShutdown(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        close();
    }

    /** A Sentinel announced a new master: reconnect now, and once more when no cached topology can be older. */
    private void switchedMaster(String message) {
        if (!message.startsWith(topology.masterName() + " ")) {
            return;
        }
        LOG.infof("redis sentinel: master %s moved (%s); reconnecting", topology.masterName(), message);
        reconnect();
        vertx.setTimer(TOPOLOGY_TTL_MILLIS + 250, id -> reconnect());
    }

    private void reconnect() {
        if (!closed) {
            connections.dropAll();
            subscriber.reconnect();
        }
    }

    private <T> Uni<T> guarded(String what, Supplier<Future<T>> call) {
        return Uni.createFrom().emitter(emitter -> {
            long timer = vertx.setTimer(timeoutMillis, id -> emitter.fail(new StoreUnavailable(
                    "redis: no reply to " + what + " within " + timeoutMillis + " ms", null)));
            emitter.onTermination(() -> vertx.cancelTimer(timer));
            Future<T> future;
            try {
                future = call.get();
            } catch (RuntimeException e) {
                future = Future.failedFuture(e);
            }
            future.onComplete(result -> {
                if (result.succeeded()) {
                    emitter.complete(result.result());
                } else {
                    emitter.fail(unavailable(what, result.cause()));
                }
            });
        });
    }

    static StoreUnavailable unavailable(String what, Throwable cause) {
        return cause instanceof StoreUnavailable known ? known
                : new StoreUnavailable("redis: " + what + " failed: " + cause.getMessage(), cause);
    }

    private RedisOptions options(RedisTopology topology, int poolSize) {
        RedisOptions options = new RedisOptions().setType(topology.mode().clientType)
                .setEndpoints(new ArrayList<>(topology.urls())).setMaxPoolSize(poolSize)
                .setTopologyCacheTTL(TOPOLOGY_TTL_MILLIS)
                .setNetClientOptions(new NetClientOptions().setConnectTimeout((int) Math.min(timeoutMillis,
                        Integer.MAX_VALUE)).setTcpKeepAlive(true).setTcpNoDelay(true));
        switch (topology.mode()) {
            case CLUSTER -> options.setUseReplicas(RedisReplicas.NEVER);
            case SENTINEL -> options.setMasterName(topology.masterName()).setRole(RedisRole.MASTER);
            case STANDALONE -> {
            }
        }
        return options;
    }

    /** Event loops of {@code vertx}: each may hold one pooled connection per node for good. */
    private static int eventLoops(Vertx vertx) {
        int count = 0;
        for (var ignored : vertx.nettyEventLoopGroup()) {
            count++;
        }
        return count;
    }

    /**
     * A Lua script identified by its SHA-1; {@code name} carries a version ({@code tg_cas_v1}) and shows in
     * errors. Scripts must declare every key they touch in {@code KEYS} (all in one hash slot for Cluster).
     */
    public record Script(String name, String source, String sha1) {

        /** A script from its source; the SHA-1 is computed here, no round trip needed. */
        public static Script of(String name, String source) {
            return new Script(name, source, Sha.sha1Hex(source));
        }

        Request request(Command command, List<String> keys, List<String> args) {
            Request request = Request.cmd(command).arg(command == Command.EVAL ? source : sha1).arg(keys.size());
            keys.forEach(request::arg);
            args.forEach(request::arg);
            return request;
        }

        static boolean unknown(Throwable error) {
            return error.getMessage() != null && error.getMessage().startsWith("NOSCRIPT");
        }
    }
}
