package io.tokengate.storage;

import io.tokengate.config.InvalidConfigException;
import io.tokengate.config.StorageConfig;
import io.vertx.redis.client.RedisClientType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where Redis is: one standalone server, the seed nodes of a Redis Cluster, or the Sentinels that name the
 * current master of {@code masterName}. {@link #of(StorageConfig)} reads and validates {@code tokengate.storage.*}
 * and names the offending key in its {@link InvalidConfigException}.
 *
 * @param mode how to reach Redis
 * @param urls the server (standalone), the seed nodes (cluster) or the Sentinels (sentinel); never empty
 * @param masterName the monitored master set (sentinel only, otherwise null)
 */
public record RedisTopology(Mode mode, List<String> urls, String masterName) {
    static final String MODE_KEY = "tokengate.storage.redis-mode";
    static final String URL_KEY = "tokengate.storage.redis-url";
    static final String URLS_KEY = "tokengate.storage.redis-urls";
    static final String MASTER_KEY = "tokengate.storage.redis-master-name";

    /** The value of {@code tokengate.storage.redis-mode}. */
    public enum Mode {
        STANDALONE(RedisClientType.STANDALONE), CLUSTER(RedisClientType.CLUSTER), SENTINEL(RedisClientType.SENTINEL);

        final RedisClientType clientType;

        Mode(RedisClientType clientType) {
            this.clientType = clientType;
        }

        /** The configuration value, e.g. {@code cluster}. */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RedisTopology {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("a Redis topology needs at least one URL");
        }
    }

    /** One server at {@code url}, e.g. {@code redis://127.0.0.1:6379}. */
    public static RedisTopology standalone(String url) {
        return new RedisTopology(Mode.STANDALONE, List.of(url), null);
    }

    /** A Redis Cluster reached through {@code seeds} (any nodes of it). */
    public static RedisTopology cluster(List<String> seeds) {
        return new RedisTopology(Mode.CLUSTER, seeds, null);
    }

    /** The master of {@code masterName} as the Sentinels at {@code sentinels} name it. */
    public static RedisTopology sentinel(List<String> sentinels, String masterName) {
        return new RedisTopology(Mode.SENTINEL, sentinels, masterName);
    }

    /** The topology configured in {@code tokengate.storage.*}, validated (see {@link #of(String, Optional, List, String)}). */
    public static RedisTopology of(StorageConfig storage) {
        return of(storage.redisMode(), storage.redisUrl(), storage.redisUrls().orElse(List.of()),
                storage.redisMasterName());
    }

    /**
     * Validates the configuration values: the mode is one of {@code standalone}, {@code cluster}, {@code sentinel}
     * (any case); standalone needs {@code redis-url} and takes no {@code redis-urls}; cluster and sentinel need at
     * least one URL ({@code redis-urls}, then {@code redis-url}), each {@code redis://} or {@code rediss://} with a
     * host (Sentinel URLs with their port too, since Sentinel does not listen on 6379); sentinel needs a master name.
     */
    static RedisTopology of(String modeValue, Optional<String> url, List<String> urls, String masterName) {
        Mode mode = mode(modeValue);
        Optional<String> single = url.map(String::trim).filter(u -> !u.isEmpty());
        List<String> listed = urls.stream().map(String::trim).filter(u -> !u.isEmpty()).toList();
        if (mode == Mode.STANDALONE) {
            if (!listed.isEmpty()) {
                throw new InvalidConfigException(URLS_KEY, "is only used with " + MODE_KEY
                        + "=cluster or sentinel; set " + MODE_KEY + " or use " + URL_KEY + " for one server");
            }
            return standalone(single.orElseThrow(() -> new InvalidConfigException(URL_KEY,
                    "is required when tokengate.storage.kind=redis")));
        }
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            check(URLS_KEY + "[" + i + "]", listed.get(i), mode);
            if (!endpoints.contains(listed.get(i))) {
                endpoints.add(listed.get(i));
            }
        }
        if (single.isPresent()) {
            check(URL_KEY, single.get(), mode);
            if (!endpoints.contains(single.get())) {
                endpoints.add(single.get());
            }
        }
        if (endpoints.isEmpty()) {
            throw new InvalidConfigException(URLS_KEY, "is required when " + MODE_KEY + "=" + mode.value() + " ("
                    + (mode == Mode.CLUSTER ? "cluster seed nodes" : "Sentinel addresses") + ", comma-separated)");
        }
        if (mode == Mode.CLUSTER) {
            return cluster(endpoints);
        }
        if (masterName == null || masterName.isBlank()) {
            throw new InvalidConfigException(MASTER_KEY, "must name the master set the Sentinels monitor");
        }
        return sentinel(endpoints, masterName.trim());
    }

    private static Mode mode(String value) {
        String normalized = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        for (Mode mode : Mode.values()) {
            if (mode.name().equals(normalized)) {
                return mode;
            }
        }
        throw new InvalidConfigException(MODE_KEY, "must be 'standalone', 'cluster' or 'sentinel', not '" + value + "'");
    }

    private static void check(String key, String url, Mode mode) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidConfigException(key, "is not a valid URL (percent-encode special characters of a password)");
        }
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
            throw new InvalidConfigException(key, "must start with redis:// or rediss:// in " + MODE_KEY + "="
                    + mode.value());
        }
        if (uri.getHost() == null) {
            throw new InvalidConfigException(key, "has no host");
        }
        if (mode == Mode.SENTINEL && uri.getPort() == -1) {
            throw new InvalidConfigException(key, "needs the Sentinel's port (usually 26379)");
        }
    }

    @Override
    public String toString() {
        // never print URLs: they may carry a password
        return "RedisTopology[" + mode.value() + ", " + urls.size() + " URL(s)"
                + (masterName == null ? "" : ", master " + masterName) + "]";
    }
}
