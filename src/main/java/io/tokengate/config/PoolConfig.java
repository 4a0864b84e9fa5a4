package io.tokengate.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A pool of interchangeable endpoints serving the same models. */
public interface PoolConfig {
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

    /**
     * Whether requests to this pool carry the tenant's {@code cache_salt} (vLLM keeps prefix caches apart by it).
     * Turn it off for upstreams that refuse unknown fields (e.g. OpenAI's own API); the tenant-scoped fields a
     * client sent are cut either way.
     */
    @WithDefault("true")
    boolean cacheSalt();

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

        /**
         * Requests of one tenant that may wait for the pool at once, so that one tenant cannot fill the queue;
         * absent: a quarter of {@link #queueSize()} (at least 1).
         */
        Optional<Integer> queueSizePerTenant();
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

        /**
         * Streams only: time from sending the request to its first chunk. Past it the attempt counts against the
         * endpoint (breaker, passive ejection) and is retried elsewhere while nothing reached the client.
         */
        @WithDefault("60s")
        Duration firstToken();

        /**
         * Streams only: longest silence allowed between two chunks from the backend; counts against the endpoint.
         * It does not run while the client itself stops reading (see {@link #clientStall()}).
         */
        @WithDefault("30s")
        Duration idle();

        /** Upper bound for the whole upstream exchange (time the client spent not reading excluded). */
        @WithDefault("10m")
        Duration total();

        /**
         * Longest wait for a whole non-streamed answer (default, and at most: {@link #total()}). A vLLM-style server
         * sends nothing before the whole answer is generated, so a long {@code max_tokens} and a slow backend look
         * alike: past this limit the client gets 504 {@code upstream_timeout}, the attempt is neither retried nor
         * counted against the endpoint (breaker, passive ejection). Backends that hang are found by the health checks
         * and by streamed traffic ({@link #firstToken()}).
         */
        Optional<Duration> nonStream();

        /**
         * Longest time a stream may stay paused because its client does not read (back-pressure holds the backend's
         * slot meanwhile). The idle and total timeouts do not run while paused; past this limit the request ends as
         * the client's fault ({@code client_stalled}: the connection is closed, the backend request cancelled, the
         * tokens delivered are charged), never the endpoint's.
         */
        @WithDefault("60s")
        Duration clientStall();
    }
}
