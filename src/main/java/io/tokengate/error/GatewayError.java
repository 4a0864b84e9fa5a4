package io.tokengate.error;

import java.time.Duration;
import java.util.Map;

/**
 * Everything that can go wrong with a request, as data. {@link ErrorCatalog} is the only place that turns
 * one of these into an HTTP status and an OpenAI error body.
 */
public sealed interface GatewayError {

    /** The body is not valid JSON. */
    record MalformedJson(String detail) implements GatewayError {}

    /** A required field is absent. */
    record MissingField(String param) implements GatewayError {}

    /** A field has the wrong JSON type. */
    record InvalidType(String param, String expected) implements GatewayError {}

    /** A field has an unusable value. */
    record InvalidValue(String param, String reason) implements GatewayError {}

    /** The model does not exist or the caller may not use it (indistinguishable on purpose). */
    record ModelNotFound(String model) implements GatewayError {}

    /** The body is larger than the configured limit. */
    record RequestTooLarge(long limitBytes) implements GatewayError {}

    /**
     * No route has this path. {@code suggestion} ({@code "POST /v1/chat/completions"}) is the public route the
     * client probably meant, for paths outside {@code /v1}; null when there is none.
     */
    record UnknownRoute(String method, String path, String suggestion) implements GatewayError {}

    /** The path exists, the method does not. */
    record MethodNotAllowed(String method, String path) implements GatewayError {}

    /** Missing, unknown, revoked or expired credentials. */
    record Unauthenticated() implements GatewayError {}

    /** The backend could not be reached (connection refused, reset before answering, DNS). */
    record UpstreamUnreachable(String endpoint) implements GatewayError {}

    /** The backend did not answer in time (first token, idle between chunks, or total). */
    record UpstreamTimedOut(String endpoint, String which) implements GatewayError {}

    /**
     * A non-streamed answer did not arrive within the pool's {@code timeouts.non-stream}: a long answer and a slow
     * backend look alike, so it is neither retried nor counted against the endpoint.
     */
    record NonStreamTimedOut(String endpoint, Duration limit) implements GatewayError {}

    /** The backend answered 5xx. */
    record UpstreamFailed(String endpoint, int status) implements GatewayError {}

    /** The backend answered something that is not a valid OpenAI response. */
    record UpstreamProtocolError(String endpoint, String detail) implements GatewayError {}

    /** The backend stream broke after some of it had been relayed. */
    record StreamInterrupted(String endpoint, String detail) implements GatewayError {}

    /**
     * No endpoint is able to take the request now: every endpoint is unhealthy, ejected or behind an open breaker,
     * a cold pool did not wake before its deadline, or its wait queue is full. {@code reason} is for operators.
     */
    record NoHealthyBackend(String model, String reason, long retryAfterSeconds) implements GatewayError {}

    /** The backend answered 429 (it is saturated); it is taken out of rotation for {@code retryAfterSeconds}. */
    record UpstreamOverloaded(String endpoint, long retryAfterSeconds) implements GatewayError {}

    /** An admin resource already exists (tenant id, OIDC issuer + audience pair). */
    record Conflict(String what) implements GatewayError {}

    /** An admin resource (tenant, key) does not exist. */
    record ResourceNotFound(String what) implements GatewayError {}

    /**
     * A limit refused the request: {@code quota} is true for a spent token budget (insufficient_quota), false for
     * RPM, TPM or concurrency (rate_limit_exceeded). {@code headers} are the x-ratelimit-* headers to send.
     */
    record RateLimited(String scope, String limit, boolean quota, long retryAfterSeconds,
            Map<String, String> headers) implements GatewayError {}

    /** Shared state (Redis) cannot be reached and the policy is to reject. */
    record StoreUnavailable(String what) implements GatewayError {}

    /** This replica holds as many request bodies in memory as it may; the request is refused before its body is read. */
    record ServerBusy(String reason) implements GatewayError {}

    /** This replica is shutting down and takes no new requests. */
    record ShuttingDown() implements GatewayError {}

    /** The client went away before the response ended; recorded, never sent. */
    record ClientClosed() implements GatewayError {}

    /**
     * The client stopped reading a stream for longer than the pool's {@code timeouts.client-stall}: the client's
     * fault, not the backend's; recorded, never sent (the connection is closed).
     */
    record ClientStalled() implements GatewayError {}

    /** A bug: something the gateway did not expect. Never carries internals to the client. */
    record Internal(String detail) implements GatewayError {}
}
