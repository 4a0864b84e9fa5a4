package io.tokengate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole tokengate configuration, prefix {@code tokengate}. The Javadoc of each property is the
 * configuration reference; {@link RouteTableCompiler} validates it at start and names the offending key.
 */
@ConfigMapping(prefix = "tokengate")
public interface GatewayConfig {

    /** Models the gateway serves, by the name clients send in {@code model}. */
    Map<String, ModelConfig> models();

    /** Pools of upstream inference endpoints, by pool name. */
    Map<String, PoolConfig> pools();

    /** Request limits applied before any upstream work. */
    RequestLimits limits();

    /** The built-in inference simulator (an OpenAI-compatible backend on its own port). */
    SimulatorConfig simulator();

    /** Access log settings. */
    AccessLogConfig accessLog();

    /** Per-request metrics settings. */
    MetricsConfig metrics();

    /** Where shared state lives (tenants, keys, usage ledger, limits). */
    StorageConfig storage();

    /** Authentication of data-plane callers. */
    AuthConfig auth();

    /** The admin API. */
    AdminConfig admin();

    /** Demo data for the embedded default. */
    BootstrapConfig bootstrap();

    /** Shared state. */
    interface StorageConfig {
        /** {@code memory} (single replica, the embedded default) or {@code redis} (every replica shares it). */
        @WithDefault("memory")
        String kind();

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

    /** Data-plane authentication. */
    interface AuthConfig {
        /**
         * Reference ({@code env:NAME} or {@code file:/path}) to the server pepper mixed into API key hashes
         * (HMAC-SHA-256). Required with Redis storage (every replica must hash alike); without it a random pepper
         * is made at start, which suits the in-memory store only.
         */
        Optional<String> keyPepperRef();

        /** How long a replica may trust a cached key or tenant lookup; changes are pushed sooner (pub/sub). */
        @WithDefault("30s")
        Duration cacheTtl();

        /** A gateway-wide OIDC issuer whose tokens name their tenant in {@link #tenantClaim()}. */
        Optional<String> sharedIssuer();

        /** Audience required of tokens from the shared issuer. */
        @WithDefault("tokengate")
        String sharedAudience();

        /** Claim that names the tenant in tokens of the shared issuer. */
        @WithDefault("tokengate_tenant")
        String tenantClaim();
    }

    /** Admin API. */
    interface AdminConfig {
        /** The bootstrap admin key (env {@code TOKENGATE_ADMIN_API_KEY}); absent: only OIDC admins. */
        Optional<String> apiKey();

        /** Role an OIDC token needs for the admin API. */
        @WithDefault("tokengate-admin")
        String role();
    }

    /** Embedded-default demo data. */
    interface BootstrapConfig {
        /** Create a demo tenant and key at start and print the key once (never enable in production). */
        @WithDefault("false")
        boolean demoTenant();

        /** Use this key for the demo tenant instead of a random one (scripts, benchmarks). */
        Optional<String> demoKey();
    }

    /** One model as clients see it. */
    interface ModelConfig {
        /** Ordered pool names: the first is primary, the rest are fallbacks. */
        List<String> pools();

        /** Model name sent upstream; defaults to the client-facing name. */
        Optional<String> upstreamModel();

        /**
         * Model name sent upstream per pool, for fallback pools that serve another model (e.g.
         * {@code upstream-models.backup=meta/llama-3.1-8b}); pools not named here use {@link #upstreamModel()}.
         */
        Map<String, String> upstreamModels();

        /** Owner shown in {@code /v1/models}. */
        @WithDefault("tokengate")
        String ownedBy();
    }

    /** A pool of interchangeable endpoints serving the same models. */
    interface PoolConfig {
        /** Endpoints of the pool. At least one. */
        List<EndpointConfig> endpoints();

        /**
         * Reference to the upstream API key, never the key itself: {@code env:NAME} reads environment variable
         * NAME, {@code file:/path} reads a mounted secret file. Absent: no Authorization header upstream.
         */
        Optional<String> apiKeyRef();

        /** HTTP version towards the endpoints: {@code http1} or {@code h2c} (HTTP/2 over cleartext, upgrade). */
        @WithDefault("http1")
        String httpVersion();

        /** Keep-alive connections per endpoint. */
        @WithDefault("256")
        int maxConnections();

        /** Upstream timeouts. */
        TimeoutConfig timeouts();

        /**
         * How requests spread over the endpoints: {@code least-in-flight} (power of two choices, the default),
         * {@code weighted-round-robin} (by endpoint weight) or {@code prefix-affinity} (consistent hash of the
         * prompt's first bytes with bounded load, so repeated prefixes reuse one backend's KV cache).
         */
        @WithDefault("least-in-flight")
        String balancer();

        /** Prefix affinity settings (balancer {@code prefix-affinity}). */
        AffinityConfig affinity();

        /** Circuit breaker of each endpoint (SmallRye Fault Tolerance). */
        BreakerConfig breaker();

        /** Retries of a failed attempt, while nothing has reached the client. */
        RetryConfig retry();

        /** Active health checks. */
        HealthConfig health();

        /** Passive ejection: endpoints that fail real traffic leave the rotation for a while. */
        EjectionConfig ejection();

        /** How to wake a pool scaled to zero, and how long requests wait for it. */
        WakeConfig wake();
    }

    /** Prefix affinity. */
    interface AffinityConfig {
        /** Bytes of the prompt (from its start) that choose the endpoint. */
        @WithDefault("256")
        int prefixBytes();

        /**
         * Bounded load: an endpoint takes a prefix only while its in-flight requests stay under this factor times
         * the pool's average (plus one); past it the prefix spills to the next endpoint on the ring.
         */
        @WithDefault("1.25")
        double loadFactor();
    }

    /** Circuit breaker per endpoint. Backend 4xx answers do not count; 429, 5xx, connection errors and timeouts do. */
    interface BreakerConfig {
        /** Failure ratio over the rolling window that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** Size of the rolling window of requests. */
        @WithDefault("10")
        int requestVolume();

        /** How long an open breaker stays open before letting probe requests through (half-open). */
        @WithDefault("10s")
        Duration delay();

        /** Successful probes that close a half-open breaker. */
        @WithDefault("2")
        int successThreshold();
    }

    /** Retries. */
    interface RetryConfig {
        /** Further attempts after the first (on other endpoints, then the fallback pools). */
        @WithDefault("2")
        int maxRetries();

        /** Base backoff before a retry; doubles per retry, with full jitter. */
        @WithDefault("20ms")
        Duration backoff();

        /** Largest backoff before one retry. */
        @WithDefault("500ms")
        Duration maxBackoff();

        /** Retry budget: retries may be at most this fraction of the pool's requests (a sick pool is not hammered). */
        @WithDefault("0.2")
        double budgetRatio();

        /** Retries always allowed per second regardless of the ratio (low traffic can still retry). */
        @WithDefault("5")
        int minRetriesPerSecond();
    }

    /** Active health checks. */
    interface HealthConfig {
        /** Probe endpoints in the background. */
        @WithDefault("true")
        boolean enabled();

        /** Path probed with GET (vLLM, SGLang, TGI and llama.cpp serve {@code /health}); 2xx is healthy. */
        @WithDefault("/health")
        String path();

        /** Time between two probes of an endpoint (while a pool is waking: at most 500ms). */
        @WithDefault("5s")
        Duration interval();

        /** Longest wait for one probe. */
        @WithDefault("2s")
        Duration timeout();

        /** Consecutive successful probes that bring an unhealthy endpoint back. */
        @WithDefault("1")
        int healthyThreshold();

        /** Consecutive failed probes that take a healthy endpoint out. */
        @WithDefault("2")
        int unhealthyThreshold();
    }

    /** Passive ejection. */
    interface EjectionConfig {
        /** Consecutive failed requests (5xx, connection errors, timeouts) that eject an endpoint. */
        @WithDefault("3")
        int consecutiveFailures();

        /** How long an ejected endpoint stays out. */
        @WithDefault("10s")
        Duration duration();

        /** Upper bound for the time a backend's 429 {@code Retry-After} takes it out. */
        @WithDefault("60s")
        Duration maxRetryAfter();

        /**
         * Most of a pool (percent of its endpoints) that passive ejection may take out at once; a pool's only
         * endpoint is therefore never ejected for failures (its breaker and health checks still apply).
         */
        @WithDefault("50")
        int maxEjectedPercent();
    }

    /**
     * Waking a pool scaled to zero: one HTTP call, e.g. PATCH to the Kubernetes API server's
     * {@code deployments/<name>/scale} subresource, or GET to a Knative Service URL (its activator holds the call
     * while it scales up). Absent {@code url}: the pool has no wake action.
     */
    interface WakeConfig {
        /** URL to call. */
        Optional<String> url();

        /** HTTP method of the call. */
        @WithDefault("POST")
        String method();

        /** Content type of {@link #body()}. */
        @WithDefault("application/json")
        String contentType();

        /** Request body, e.g. {@code {"spec":{"replicas":1}}}. */
        Optional<String> body();

        /**
         * Reference to a bearer token for the call ({@code env:NAME} or {@code file:/path}, e.g. the service
         * account token {@code file:/var/run/secrets/kubernetes.io/serviceaccount/token}, read at each call).
         */
        Optional<String> tokenRef();

        /** PEM file of the CA that signs the wake URL's certificate (e.g. the cluster CA); absent: the JVM's. */
        Optional<String> caFile();

        /** Longest time a request waits for the pool to turn healthy; then 503 with {@code Retry-After}. */
        @WithDefault("120s")
        Duration deadline();

        /** Requests that may wait for the pool at once; more get 503 at once. */
        @WithDefault("64")
        int queueSize();
    }

    /** One upstream endpoint. */
    interface EndpointConfig {
        /** Base URL of an OpenAI-compatible server, e.g. {@code http://vllm:8000} (the {@code /v1/...} path is appended). */
        String url();

        /** Relative weight for weighted balancing. */
        @WithDefault("1")
        int weight();
    }

    /** Upstream timeouts of a pool. */
    interface TimeoutConfig {
        /** TCP connect timeout. */
        @WithDefault("5s")
        Duration connect();

        /** Time from sending the request to the response headers and, for streams, the first chunk. */
        @WithDefault("60s")
        Duration firstToken();

        /** Longest silence allowed between two chunks of a response. */
        @WithDefault("30s")
        Duration idle();

        /** Upper bound for the whole upstream exchange. */
        @WithDefault("10m")
        Duration total();
    }

    /** Request limits. */
    interface RequestLimits {
        /** Largest request body accepted, in bytes; larger bodies get 413 {@code request_too_large}. */
        @WithDefault("4194304")
        long maxBodyBytes();

        /** Completion tokens assumed when a request names no {@code max_tokens}. */
        @WithDefault("4096")
        int defaultMaxTokens();

        /**
         * What admission does when the limit store (Redis) cannot be reached: {@code reject} (503
         * {@code store_unavailable}, the default: budgets are a promise) or {@code allow} (serve unmetered by limits;
         * every such decision is counted and logged).
         */
        @WithDefault("reject")
        String onStoreFailure();

        /** Concurrency slots are leases: a replica that dies mid-request frees its slots after this long. */
        @WithDefault("2m")
        Duration lease();

        /** Streams without {@code max_tokens}: tokens reserved up front, and per extension while streaming. */
        @WithDefault("256")
        int streamChunkTokens();

        /** Limits of tenants whose record sets none (a record's {@code "limits":{}} means unlimited). */
        TenantDefaults tenantDefaults();
    }

    /** Default tenant limits; each absent value is unlimited. */
    interface TenantDefaults {
        /** Requests per minute. */
        java.util.OptionalLong requestsPerMinute();

        /** Tokens per minute. */
        java.util.OptionalLong tokensPerMinute();

        /** Concurrent requests. */
        java.util.OptionalLong maxConcurrentRequests();

        /** Token budget per {@link #tokenBudgetPeriod()}. */
        java.util.OptionalLong tokenBudget();

        /** {@code day}, {@code month} or {@code total}. */
        @WithDefault("month")
        String tokenBudgetPeriod();
    }

    /** Built-in simulator. */
    interface SimulatorConfig {
        /** Start the simulator inside the gateway process. */
        @WithDefault("false")
        boolean enabled();

        /** Loopback address the simulator binds. */
        @WithDefault("127.0.0.1")
        String host();

        /** Port of the simulator. */
        @WithDefault("8001")
        int port();

        /** Models the simulator lists; it answers any model name. */
        @WithDefault("sim-llama,sim-embed")
        List<String> models();

        /** Delay before the first token. */
        @WithDefault("20ms")
        Duration timeToFirstToken();

        /** Delay between two streamed tokens. */
        @WithDefault("5ms")
        Duration interTokenLatency();

        /** Completion length when the request names no {@code max_tokens}. */
        @WithDefault("16")
        int outputTokens();

        /** Fraction of requests answered with HTTP 500, 0.0 to 1.0. */
        @WithDefault("0.0")
        double errorRate();
    }

    /** Per-request metrics. */
    interface MetricsConfig {
        /**
         * Record the per-request metrics (GenAI token usage, durations, time to first token, gateway overhead,
         * request and admission counters) at {@code /q/metrics}. Routing gauges and counters stay on regardless.
         */
        @WithDefault("true")
        boolean enabled();
    }

    /** Access log. */
    interface AccessLogConfig {
        /** Write one structured line per request to the {@code tokengate.access} logger. */
        @WithDefault("true")
        @WithName("enabled")
        boolean enabled();
    }
}
