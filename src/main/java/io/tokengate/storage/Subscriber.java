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
 *
 * <p>Pub/sub is fire-and-forget: what is published while the connection is down never arrives. So each channel's
 * {@code onSubscribed} callback runs whenever a new connection has subscribed to every channel (the first one
 * included): from then on every message arrives, and whatever a listener derived from earlier messages may be
 * stale.
 *
 * <p>With Redis Cluster the connection is a cluster connection (one to every node) and {@code SUBSCRIBE} goes to
 * one master: Cluster broadcasts every {@code PUBLISH} to all nodes, so that one subscription hears them all; the
 * loss of any node's connection counts as lost. With Sentinel it reaches the current master, or (for the failover
 * watch) a Sentinel.
 */
final class Subscriber {
    private static final Logger LOG = Logger.getLogger(Subscriber.class);
    static final long MIN_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 2000;

    private final String name;
    private final Vertx vertx;
    private final Redis client;
    private final Map<String, List<Listener>> channels = new ConcurrentHashMap<>();
    private io.vertx.redis.client.RedisConnection connection;
    private boolean connecting;
    private boolean closed;
    private long backoffMillis = MIN_BACKOFF_MILLIS;

    /** What one subscriber of a channel is told: each message, and each (re)subscription of a new connection. */
    private record Listener(Consumer<String> onMessage, Runnable onSubscribed) {}

    Subscriber(String name, Vertx vertx, Redis client) {
        this.name = name;
        this.vertx = vertx;
        this.client = client;
    }

    synchronized void subscribe(String channel, Consumer<String> listener) {
        subscribe(channel, listener, () -> { });
    }

    /**
     * Subscribes {@code listener} to {@code channel}; {@code onSubscribed} runs each time a new connection has
     * subscribed to all channels (after a reconnect: messages may have been missed while it was down).
     */
    synchronized void subscribe(String channel, Consumer<String> listener, Runnable onSubscribed) {
        boolean fresh = !channels.containsKey(channel);
        channels.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(new Listener(listener, onSubscribed));
        if (connection == null) {
            connect();
        } else if (fresh) {
            subscribeAll(connection, List.of(channel), false);
        }
    }

    /**
     * Drops the connection and subscribes again on a new one (after a Sentinel failover: the old one may still
     * reach the demoted master).
     */
    synchronized void reconnect() {
        if (closed) {
            return;
        }
        if (connection != null) {
            io.vertx.redis.client.RedisConnection gone = connection;
            connection = null;
            gone.close();
        }
        if (!channels.isEmpty()) {
            connect();
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
        if (connecting || closed || connection != null) {
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
        subscribeAll(fresh, List.copyOf(channels.keySet()), true);
    }

    /** Subscribes {@code target} to {@code names}; {@code newConnection}: all channels on a fresh connection. */
    private void subscribeAll(io.vertx.redis.client.RedisConnection target, Collection<String> names,
            boolean newConnection) {
        Request request = Request.cmd(Command.SUBSCRIBE);
        names.forEach(request::arg);
        target.send(request).onComplete(result -> {
            if (result.succeeded()) {
                subscribed(names);
                if (newConnection) {
                    resubscribed(names);
                }
            } else {
                lost(target, result.cause());
            }
        });
    }

    private synchronized void subscribed(Collection<String> names) {
        if (backoffMillis > MIN_BACKOFF_MILLIS) {
            LOG.infof("%s: subscribed again to %s", name, names);
        }
        backoffMillis = MIN_BACKOFF_MILLIS;
    }

    /** Tells each listener of these channels that messages published before now may have been missed. */
    private void resubscribed(Collection<String> names) {
        for (String channel : names) {
            for (Listener listener : channels.getOrDefault(channel, List.of())) {
                try {
                    listener.onSubscribed().run();
                } catch (RuntimeException e) {
                    LOG.warnf(e, "%s listener failed after subscribing to '%s'", name, channel);
                }
            }
        }
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
            LOG.warnf("%s connection lost (%s); reconnecting", name, cause.getMessage());
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
        for (Listener listener : channels.getOrDefault(message.get(1).toString(), List.of())) {
            try {
                listener.onMessage().accept(payload);
            } catch (RuntimeException e) {
                LOG.warnf(e, "%s listener failed on '%s'", name, payload);
            }
        }
    }
}
