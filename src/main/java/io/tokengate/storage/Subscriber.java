package io.tokengate.storage;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The dedicated pub/sub connection: connects on the first subscription, subscribes to every channel asked for,
 * and after losing the connection (Redis stopped, network cut) reconnects with exponential backoff (100 ms up to
 * 2 s) and subscribes again. Listeners run on the connection's event loop.
 */
final class Subscriber {
    private static final Logger LOG = Logger.getLogger(Subscriber.class);
    static final long MIN_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 2000;

    private final Vertx vertx;
    private final Redis client;
    private final Map<String, List<Consumer<String>>> channels = new ConcurrentHashMap<>();
    private io.vertx.redis.client.RedisConnection connection;
    private boolean connecting;
    private boolean closed;
    private long backoffMillis = MIN_BACKOFF_MILLIS;

    Subscriber(Vertx vertx, Redis client) {
        this.vertx = vertx;
        this.client = client;
    }

    synchronized void subscribe(String channel, Consumer<String> listener) {
        boolean fresh = !channels.containsKey(channel);
        channels.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(listener);
        if (connection == null) {
            connect();
        } else if (fresh) {
            subscribeAll(connection, List.of(channel));
        }
    }

    synchronized void close() {
        closed = true;
        if (connection != null) {
            connection.close();
            connection = null;
        }
        client.close();
    }

    private synchronized void connect() {
        if (connecting || closed) {
            return;
        }
        connecting = true;
        client.connect().onComplete(result -> {
            if (result.succeeded()) {
                connected(result.result());
            } else {
                retry(result.cause());
            }
        });
    }

    private synchronized void connected(io.vertx.redis.client.RedisConnection fresh) {
        connecting = false;
        if (closed) {
            fresh.close();
            return;
        }
        connection = fresh;
        fresh.handler(this::dispatch);
        fresh.exceptionHandler(error -> lost(fresh, error));
        fresh.endHandler(ignored -> lost(fresh, null));
        subscribeAll(fresh, List.copyOf(channels.keySet()));
    }

    private void subscribeAll(io.vertx.redis.client.RedisConnection target, Collection<String> names) {
        Request request = Request.cmd(Command.SUBSCRIBE);
        names.forEach(request::arg);
        target.send(request).onComplete(result -> {
            if (result.succeeded()) {
                subscribed(names);
            } else {
                lost(target, result.cause());
            }
        });
    }

    private synchronized void subscribed(Collection<String> names) {
        if (backoffMillis > MIN_BACKOFF_MILLIS) {
            LOG.infof("redis pub/sub: subscribed again to %s", names);
        }
        backoffMillis = MIN_BACKOFF_MILLIS;
    }

    private synchronized void lost(io.vertx.redis.client.RedisConnection gone, Throwable cause) {
        if (connection != gone) {
            return;
        }
        connection = null;
        gone.close();
        retry(cause == null ? new IllegalStateException("connection closed") : cause);
    }

    private synchronized void retry(Throwable cause) {
        connecting = false;
        if (closed) {
            return;
        }
        long delay = backoffMillis;
        if (delay == MIN_BACKOFF_MILLIS) {
            LOG.warnf("redis pub/sub connection lost (%s); reconnecting", cause.getMessage());
        }
        backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
        vertx.setTimer(delay, id -> connect());
    }

    private void dispatch(Response message) {
        if (message == null || (message.type() != ResponseType.PUSH && message.type() != ResponseType.MULTI)
                || message.size() != 3 || !"message".equals(message.get(0).toString())) {
            return;
        }
        String payload = message.get(2).toString();
        for (Consumer<String> listener : channels.getOrDefault(message.get(1).toString(), List.of())) {
            try {
                listener.accept(payload);
            } catch (RuntimeException e) {
                LOG.warnf(e, "redis pub/sub listener failed on '%s'", payload);
            }
        }
    }
}
