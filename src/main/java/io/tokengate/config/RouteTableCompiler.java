package io.tokengate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/** Validates {@link GatewayConfig} and compiles it into a {@link RouteTable}; a mistake fails naming its key. */
public final class RouteTableCompiler {
    private static final String PREFIX = "tokengate.";
    private final SecretResolver secrets;

    public RouteTableCompiler(Function<String, String> environment) {
        this.secrets = new SecretResolver(environment);
    }

    public RouteTable compile(GatewayConfig config) {
        Map<String, PoolSpec> pools = new TreeMap<>();
        config.pools().forEach((name, pool) -> pools.put(name, pool(name, pool)));
        Map<String, ModelRoute> models = new TreeMap<>();
        config.models().forEach((name, model) -> models.put(name, model(name, model, pools)));
        positive(PREFIX + "limits.max-body-bytes", config.limits().maxBodyBytes());
        positive(PREFIX + "limits.default-max-tokens", config.limits().defaultMaxTokens());
        return new RouteTable(Map.copyOf(models), Map.copyOf(pools), config.limits().maxBodyBytes(),
                config.limits().defaultMaxTokens(), Instant.now().getEpochSecond());
    }

    private ModelRoute model(String name, ModelConfig model, Map<String, PoolSpec> pools) {
        String key = PREFIX + "models." + name + ".pools";
        if (model.pools().isEmpty()) {
            throw new InvalidConfigException(key, "a model needs at least one pool");
        }
        List<PoolSpec> ordered = new ArrayList<>();
        for (String pool : model.pools()) {
            ordered.add(Optional.ofNullable(pools.get(pool))
                    .orElseThrow(() -> new InvalidConfigException(key, "unknown pool '" + pool + "'")));
        }
        model.upstreamModels().keySet().forEach(pool -> {
            if (!model.pools().contains(pool)) {
                throw new InvalidConfigException(PREFIX + "models." + name + ".upstream-models." + pool,
                        "pool '" + pool + "' is not one of this model's pools");
            }
        });
        return new ModelRoute(name, model.upstreamModel().orElse(name), List.copyOf(ordered), model.ownedBy(),
                Map.copyOf(model.upstreamModels()));
    }

    private PoolSpec pool(String name, PoolConfig pool) {
        String key = PREFIX + "pools." + name;
        if (pool.endpoints().isEmpty()) {
            throw new InvalidConfigException(key + ".endpoints", "a pool needs at least one endpoint");
        }
        List<EndpointSpec> endpoints = new ArrayList<>();
        for (int i = 0; i < pool.endpoints().size(); i++) {
            endpoints.add(endpoint(key + ".endpoints[" + i + "]", new EndpointId(name, i), pool.endpoints().get(i)));
        }
        PoolConfig.TimeoutConfig t = pool.timeouts();
        return new PoolSpec(name, List.copyOf(endpoints), authorization(key + ".api-key-ref", pool.apiKeyRef()),
                h2c(key + ".http-version", pool.httpVersion()), positive(key + ".max-connections", pool.maxConnections()),
                positive(key + ".timeouts.connect", t.connect()), positive(key + ".timeouts.first-token", t.firstToken()),
                positive(key + ".timeouts.idle", t.idle()), positive(key + ".timeouts.total", t.total()),
                nonStream(key + ".timeouts.non-stream", t), positive(key + ".timeouts.client-stall", t.clientStall()),
                balancer(key + ".balancer", pool.balancer()), affinity(key + ".affinity", pool.affinity()),
                breaker(key + ".breaker", pool.breaker()), retry(key + ".retry", pool.retry()),
                health(key + ".health", pool.health()), ejection(key + ".ejection", pool.ejection()),
                wake(key + ".wake", pool.wake()), pool.cacheSalt());
    }

    /** The non-stream timeout: the configured one, or {@code total}; never beyond {@code total}. */
    private static Duration nonStream(String key, PoolConfig.TimeoutConfig t) {
        Duration limit = positive(key, t.nonStream().orElse(t.total()));
        return limit.compareTo(t.total()) > 0 ? t.total() : limit;
    }

    private static PoolSpec.Balancer balancer(String key, String value) {
        return switch (value) {
            case "least-in-flight" -> PoolSpec.Balancer.LEAST_IN_FLIGHT;
            case "weighted-round-robin" -> PoolSpec.Balancer.WEIGHTED_ROUND_ROBIN;
            case "prefix-affinity" -> PoolSpec.Balancer.PREFIX_AFFINITY;
            default -> throw new InvalidConfigException(key,
                    "must be 'least-in-flight', 'weighted-round-robin' or 'prefix-affinity', not '" + value + "'");
        };
    }

    private static PoolSpec.Affinity affinity(String key, PoolConfig.AffinityConfig a) {
        if (a.loadFactor() < 1.0) {
            throw new InvalidConfigException(key + ".load-factor", "must be at least 1.0, was " + a.loadFactor());
        }
        return new PoolSpec.Affinity(positive(key + ".prefix-bytes", a.prefixBytes()), a.loadFactor());
    }

    private static PoolSpec.Breaker breaker(String key, PoolConfig.BreakerConfig b) {
        if (b.failureRatio() <= 0 || b.failureRatio() > 1) {
            throw new InvalidConfigException(key + ".failure-ratio", "must be in (0, 1], was " + b.failureRatio());
        }
        return new PoolSpec.Breaker(b.failureRatio(), positive(key + ".request-volume", b.requestVolume()),
                positive(key + ".delay", b.delay()), positive(key + ".success-threshold", b.successThreshold()));
    }

    private static PoolSpec.Retry retry(String key, PoolConfig.RetryConfig r) {
        if (r.maxRetries() < 0) {
            throw new InvalidConfigException(key + ".max-retries", "must not be negative, was " + r.maxRetries());
        }
        if (r.budgetRatio() < 0 || r.budgetRatio() > 1) {
            throw new InvalidConfigException(key + ".budget-ratio", "must be in [0, 1], was " + r.budgetRatio());
        }
        if (r.minRetriesPerSecond() < 0) {
            throw new InvalidConfigException(key + ".min-retries-per-second", "must not be negative");
        }
        return new PoolSpec.Retry(r.maxRetries(), positive(key + ".backoff", r.backoff()),
                positive(key + ".max-backoff", r.maxBackoff()), r.budgetRatio(), r.minRetriesPerSecond());
    }

    private static PoolSpec.Health health(String key, PoolConfig.HealthConfig h) {
        if (!h.path().startsWith("/")) {
            throw new InvalidConfigException(key + ".path", "must start with '/'");
        }
        return new PoolSpec.Health(h.enabled(), h.path(), positive(key + ".interval", h.interval()),
                positive(key + ".timeout", h.timeout()), positive(key + ".healthy-threshold", h.healthyThreshold()),
                positive(key + ".unhealthy-threshold", h.unhealthyThreshold()));
    }

    private static PoolSpec.Ejection ejection(String key, PoolConfig.EjectionConfig e) {
        if (e.maxEjectedPercent() < 0 || e.maxEjectedPercent() > 100) {
            throw new InvalidConfigException(key + ".max-ejected-percent", "must be in [0, 100], was " + e.maxEjectedPercent());
        }
        return new PoolSpec.Ejection(positive(key + ".consecutive-failures", e.consecutiveFailures()),
                positive(key + ".duration", e.duration()), positive(key + ".max-retry-after", e.maxRetryAfter()),
                e.maxEjectedPercent());
    }

    private static Optional<PoolSpec.Wake> wake(String key, PoolConfig.WakeConfig w) {
        if (w.url().isEmpty()) {
            return Optional.empty();
        }
        parseUrl(key + ".url", w.url().get());
        int queueSize = positive(key + ".queue-size", w.queueSize());
        int perTenant = positive(key + ".queue-size-per-tenant", w.queueSizePerTenant().orElse(Math.max(1, queueSize / 4)));
        if (perTenant > queueSize) {
            throw new InvalidConfigException(key + ".queue-size-per-tenant", "must not exceed queue-size (" + queueSize + ")");
        }
        return Optional.of(new PoolSpec.Wake(w.url().get().strip(), w.method().toUpperCase(Locale.ROOT),
                w.contentType(), w.body(), w.tokenRef(), w.caFile(), positive(key + ".deadline", w.deadline()),
                queueSize, perTenant));
    }

    private static EndpointSpec endpoint(String key, EndpointId id, PoolConfig.EndpointConfig endpoint) {
        URI uri = parseUrl(key + ".url", endpoint.url());
        boolean https = "https".equals(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : (https ? 443 : 80);
        String base = uri.getRawPath() == null ? "" : stripTrailingSlash(uri.getRawPath());
        return new EndpointSpec(id, uri.getScheme(), uri.getHost(), port, base,
                positive(key + ".weight", endpoint.weight()));
    }

    private static URI parseUrl(String key, String url) {
        try {
            URI uri = new URI(url.strip());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new InvalidConfigException(key, "must start with http:// or https://");
            }
            if (uri.getHost() == null) {
                throw new InvalidConfigException(key, "has no host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidConfigException(key, "is not a valid URL");
        }
    }

    private static String stripTrailingSlash(String path) {
        String p = path.endsWith("/v1") ? path.substring(0, path.length() - 3) : path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private Optional<String> authorization(String key, Optional<String> ref) {
        return ref.map(r -> "Bearer " + secrets.resolve(key, r));
    }

    private static boolean h2c(String key, String version) {
        return switch (version) {
            case "http1" -> false;
            case "h2c" -> true;
            default -> throw new InvalidConfigException(key, "must be 'http1' or 'h2c', not '" + version + "'");
        };
    }

    private static int positive(String key, int value) {
        if (value <= 0) {
            throw new InvalidConfigException(key, "must be positive, was " + value);
        }
        return value;
    }

    private static long positive(String key, long value) {
        if (value <= 0) {
            throw new InvalidConfigException(key, "must be positive, was " + value);
        }
        return value;
    }

    private static Duration positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new InvalidConfigException(key, "must be a positive duration, was " + value);
        }
        return value;
    }
}
