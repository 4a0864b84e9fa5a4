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

        /** Redis URL when kind is {@code redis}, e.g. {@code redis://redis:6379} or {@code rediss://user:pw@host:6380/0}. */
        Optional<String> redisUrl();

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

    /** Access log. */
    interface AccessLogConfig {
        /** Write one structured line per request to the {@code tokengate.access} logger. */
        @WithDefault("true")
        @WithName("enabled")
        boolean enabled();
    }
}
