package io.tokengate.storage;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One long-lived, pipelined Redis connection per event loop for single commands on the hot path: no pool
 * acquire/release per command and no hop to another event loop's connection. A connection that fails or
 * closes is dropped and the next command connects again. Calls from outside an event loop use the pool.
 */
final class EventLoopConnections {
    private final Redis client;
    private final Map<Object, Future<RedisConnection>> byEventLoop = new ConcurrentHashMap<>();

    EventLoopConnections(Redis client) {
        this.client = client;
    }

    Future<Response> send(Request request) {
        Context context = Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
            return client.send(request);
        }
        return own(((io.vertx.core.impl.ContextInternal) context).nettyEventLoop())
                .compose(connection -> connection.send(request));
    }

    /**
     * This event loop's connection, connecting when there is none or the last attempt failed. Only this event
     * loop's thread touches its entry; the map is never changed from inside a compute (a connect can fail at once).
     */
    private Future<RedisConnection> own(Object loop) {
        Future<RedisConnection> current = byEventLoop.get(loop);
        if (current != null && !current.failed()) {
            return current;
        }
        Future<RedisConnection> connecting = client.connect();
        byEventLoop.put(loop, connecting);
        connecting.onComplete(ar -> {
            if (ar.failed()) {
                byEventLoop.remove(loop, connecting);
                return;
            }
            ar.result().exceptionHandler(e -> drop(loop, connecting, ar.result()));
            ar.result().endHandler(v -> byEventLoop.remove(loop, connecting));
        });
        return connecting;
    }

    private void drop(Object loop, Future<RedisConnection> connecting, RedisConnection connection) {
        byEventLoop.remove(loop, connecting);
        connection.close();
    }

    void close() {
        byEventLoop.values().forEach(f -> f.onSuccess(RedisConnection::close));
        byEventLoop.clear();
    }
}
