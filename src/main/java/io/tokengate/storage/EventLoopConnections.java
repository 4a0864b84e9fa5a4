package io.tokengate.storage;

import io.vertx.core.CompositeFuture;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One long-lived, pipelined Redis connection per event loop for single commands on the hot path: no pool
 * acquire/release per command and no hop to another event loop's connection. A connection is lost when it fails
 * or closes, when a command on it fails without a Redis error reply (a connection-level failure), or when a reply
 * says {@code READONLY} (it reached a master that a Sentinel failover demoted). A lost connection is dropped and
 * the next command connects again. Calls from outside an event loop use the pool.
 *
 * <p>With Redis Cluster the connection is the client's cluster connection: one connection to every node, each
 * command sent to the master of its key's slot, new masters connected on demand. Connecting needs every node of
 * the slot map, so a lost cluster connection is not dropped at once: it keeps serving (commands for the healthy
 * masters succeed, those for a lost one fail fast) while a replacement connects in the background, at most every
 * {@value #RECONNECT_MILLIS} ms; the replacement takes over once it is connected. Calls from outside an event loop
 * hop to an event loop instead of using the pool, because a pooled cluster connection takes one connection from
 * every node's pool at once and many concurrent callers could each hold some while waiting for the others.
 */
final class EventLoopConnections {
    static final long RECONNECT_MILLIS = 250;

    private final Vertx vertx;
    private final Redis client;
    private final boolean cluster;
    private final Map<Object, Owned> byEventLoop = new ConcurrentHashMap<>();

    EventLoopConnections(Vertx vertx, Redis client, boolean cluster) {
        this.vertx = vertx;
        this.client = client;
        this.cluster = cluster;
    }

    Future<Response> send(Request request) {
        return onEventLoop(owned -> owned.send(request), () -> client.send(request));
    }

    /**
     * Sends every command on its own through this event loop's connection (pipelined; with Cluster each goes to
     * its key's master, so commands of different slots mix freely) and returns the replies in order; fails with
     * the first failure.
     */
    Future<List<Response>> sendEach(List<Request> requests) {
        return onEventLoop(owned -> {
            List<Future<Response>> replies = new ArrayList<>(requests.size());
            requests.forEach(request -> replies.add(owned.send(request)));
            return Future.all(replies).map(CompositeFuture::<Response>list);
        }, () -> Future.all(requests.stream().map(client::send).toList()).map(CompositeFuture::<Response>list));
    }

    private <T> Future<T> onEventLoop(Function<Owned, Future<T>> call, Supplier<Future<T>> pooled) {
        Context context = Vertx.currentContext();
        if (context != null && context.isEventLoopContext()) {
            return own(((ContextInternal) context).nettyEventLoop()).compose(call::apply);
        }
        if (!cluster) {
            return pooled.get();
        }
        ContextInternal loop = ((VertxInternal) vertx).createEventLoopContext();
        Promise<T> promise = Promise.promise();
        loop.runOnContext(ignored -> own(loop.nettyEventLoop()).compose(call::apply).onComplete(promise));
        return promise.future();
    }

    /**
     * This event loop's connection, connecting when there is none or the last attempt failed (and, with Cluster,
     * starting a replacement of a lost one). Only this event loop's thread changes its entry; the map is never
     * changed from inside a compute (a connect can fail at once).
     */
    private Future<Owned> own(Object loop) {
        Owned current = byEventLoop.get(loop);
        if (current != null && !current.connecting.failed()) {
            if (current.lost.get()) {
                current.replace();
            }
            return current.ready;
        }
        Owned fresh = new Owned(loop, client.connect());
        byEventLoop.put(loop, fresh);
        fresh.connecting.onFailure(error -> byEventLoop.remove(loop, fresh));
        return fresh.ready;
    }

    /** Drops every event loop's connection: the next command of each connects again (after a failover). */
    void dropAll() {
        byEventLoop.forEach((loop, owned) -> {
            if (byEventLoop.remove(loop, owned)) {
                owned.close();
            }
        });
    }

    void close() {
        byEventLoop.values().forEach(Owned::close);
        byEventLoop.clear();
    }

    /**
     * One event loop's connection. Closing it happens once: its handlers stay on pooled connections that later
     * serve other callers, and must not close them a second time.
     */
    private final class Owned {
        final Object loop;
        final Future<RedisConnection> connecting;
        final Future<Owned> ready;
        final AtomicBoolean lost = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();
        private volatile Future<RedisConnection> replacing;
        private volatile long lastAttempt = System.nanoTime();

        Owned(Object loop, Future<RedisConnection> connecting) {
            this.loop = loop;
            this.connecting = connecting;
            this.ready = connecting.map(connection -> this);
            connecting.onSuccess(connection -> {
                connection.exceptionHandler(e -> lost());
                connection.endHandler(v -> lost());
            });
        }

        Future<Response> send(Request request) {
            return connecting.result().send(request).onFailure(error -> {
                if (!(error instanceof ErrorType reply) || reply.is("READONLY")) {
                    lost();
                }
            });
        }

        /** Standalone and Sentinel: dropped, the next command connects. Cluster: replaced when the next comes. */
        void lost() {
            if (!cluster) {
                byEventLoop.remove(loop, this);
                close();
            } else {
                lost.set(true);
            }
        }

        /** Starts connecting a replacement unless one is on its way or the last attempt was just now. */
        void replace() {
            long now = System.nanoTime();
            if (replacing != null || closed.get() || now - lastAttempt < TimeUnit.MILLISECONDS.toNanos(RECONNECT_MILLIS)) {
                return;
            }
            lastAttempt = now;
            Future<RedisConnection> attempt = client.connect();
            replacing = attempt;
            attempt.onComplete(result -> {
                replacing = null;
                if (result.failed()) {
                    return;
                }
                Owned successor = new Owned(loop, Future.succeededFuture(result.result()));
                if (byEventLoop.replace(loop, this, successor)) {
                    close();
                } else {
                    successor.close();
                }
            });
        }

        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            connecting.onSuccess(connection -> {
                connection.exceptionHandler(null);
                connection.endHandler(null);
                connection.close();
            });
        }
    }
}
