package io.tokengate.error;

import io.tokengate.error.GatewayError.*;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one mapping from {@link GatewayError} to status, OpenAI {@code type} and {@code code}. Clients never see
 * an error that is not described here. Messages are for humans and never carry secrets, prompts or internals.
 */
public final class ErrorCatalog {
    private static final String INVALID = "invalid_request_error";
    private static final String SERVER = "server_error";

    private ErrorCatalog() {}

    private static ErrorBody rateLimited(RateLimited e) {
        Map<String, String> headers = new LinkedHashMap<>(e.headers());
        headers.put("retry-after", Long.toString(Math.max(1, e.retryAfterSeconds())));
        return e.quota()
                ? new ErrorBody(429, "insufficient_quota", "insufficient_quota", "You exceeded your token budget ("
                        + e.limit() + " of " + e.scope() + "). It renews with the next budget period.", null, headers)
                : new ErrorBody(429, "requests", "rate_limit_exceeded", "Rate limit reached (" + e.limit() + " of "
                        + e.scope() + "). Please try again in " + Math.max(1, e.retryAfterSeconds()) + "s.", null, headers);
    }

    /** A limit as people write it: {@code 1.5s}, {@code 90s}. */
    private static String seconds(Duration limit) {
        long ms = limit.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms / 1000.0 + "s";
    }

    private static Map<String, String> retryAfter(long seconds) {
        return Map.of("retry-after", Long.toString(Math.max(1, seconds)));
    }

    /** For paths outside /v1 (a client whose base URL lacks /v1, a browser at /): where the API is. */
    private static String outsideApiHint(UnknownRoute e) {
        if (e.path().equals("/v1") || e.path().startsWith("/v1/")) {
            return "";
        }
        return e.suggestion() != null
                ? " Did you mean " + e.suggestion() + "? An OpenAI client's base URL ends in /v1."
                : " The OpenAI-compatible API is under /v1 (e.g. POST /v1/chat/completions, GET /v1/models), the admin"
                        + " API under /admin/v1; an OpenAI client's base URL ends in /v1.";
    }

    /** The client-facing form of {@code error}. */
    public static ErrorBody describe(GatewayError error) {
        return switch (error) {
            case MalformedJson e -> new ErrorBody(400, INVALID, "invalid_json",
                    "We could not parse the JSON body of your request: " + e.detail(), null);
            case MissingField e -> new ErrorBody(400, INVALID, "missing_required_parameter",
                    "Missing required parameter: '" + e.param() + "'.", e.param());
            case InvalidType e -> new ErrorBody(400, INVALID, "invalid_type",
                    "Invalid type for '" + e.param() + "': expected " + e.expected() + ".", e.param());
            case InvalidValue e -> new ErrorBody(400, INVALID, "invalid_value",
                    "Invalid value for '" + e.param() + "': " + e.reason(), e.param());
            case ModelNotFound e -> new ErrorBody(404, INVALID, "model_not_found",
                    "The model '" + e.model() + "' does not exist or you do not have access to it.", "model");
            case RequestTooLarge e -> new ErrorBody(413, INVALID, "request_too_large",
                    "The request body exceeds the limit of " + e.limitBytes() + " bytes.", null);
            case UnknownRoute e -> new ErrorBody(404, INVALID, "unknown_url",
                    "Unknown request URL: " + e.method() + " " + e.path() + "." + outsideApiHint(e), null);
            case MethodNotAllowed e -> new ErrorBody(405, INVALID, "method_not_allowed",
                    "Method " + e.method() + " is not allowed on " + e.path() + ".", null);
            case Unauthenticated e -> new ErrorBody(401, INVALID, "invalid_api_key",
                    "Incorrect or missing API key or token.", null);
            case UpstreamUnreachable e -> new ErrorBody(502, SERVER, "upstream_error",
                    "The model backend could not be reached.", null);
            case UpstreamTimedOut e -> new ErrorBody(504, SERVER, "upstream_timeout",
                    "The model backend did not answer in time (" + e.which() + ").", null);
            case NonStreamTimedOut e -> new ErrorBody(504, SERVER, "upstream_timeout",
                    "The model backend did not finish the answer within " + seconds(e.limit())
                            + ". Ask for fewer tokens (max_tokens) or stream the answer.", null);
            case UpstreamFailed e -> new ErrorBody(502, SERVER, "upstream_error",
                    "The model backend failed (HTTP " + e.status() + ").", null);
            case UpstreamProtocolError e -> new ErrorBody(502, SERVER, "upstream_error",
                    "The model backend sent an invalid response.", null);
            case StreamInterrupted e -> new ErrorBody(502, SERVER, "stream_interrupted",
                    "The model backend stream was interrupted before it finished.", null);
            case NoHealthyBackend e -> new ErrorBody(503, SERVER, "no_healthy_backend",
                    "No backend is available for model '" + e.model() + "' (" + e.reason() + "). Retry later.", null,
                    retryAfter(e.retryAfterSeconds()));
            case UpstreamOverloaded e -> new ErrorBody(503, SERVER, "upstream_overloaded",
                    "The model backend is overloaded. Retry later.", null, retryAfter(e.retryAfterSeconds()));
            case Conflict e -> new ErrorBody(409, INVALID, "conflict", e.what(), null);
            case ResourceNotFound e -> new ErrorBody(404, INVALID, "not_found", e.what(), null);
            case RateLimited e -> rateLimited(e);
            case StoreUnavailable e -> new ErrorBody(503, SERVER, "store_unavailable",
                    "The gateway's shared state store is unavailable. Retry later.", null);
            case ServerBusy e -> new ErrorBody(503, SERVER, "server_overloaded",
                    "The gateway is busy (" + e.reason() + "). Retry the request.", null, retryAfter(1));
            case ShuttingDown e -> new ErrorBody(503, SERVER, "server_shutting_down",
                    "This gateway replica is shutting down. Retry the request.", null, retryAfter(1));
            case ClientClosed e -> new ErrorBody(499, INVALID, "client_closed_request",
                    "The client closed the connection before the response ended.", null);
            case ClientStalled e -> new ErrorBody(408, INVALID, "client_stalled",
                    "The client stopped reading the stream for too long.", null);
            case Internal e -> new ErrorBody(500, SERVER, "internal_error",
                    "The gateway had an internal error.", null);
        };
    }
}
