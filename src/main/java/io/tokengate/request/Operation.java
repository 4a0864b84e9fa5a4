package io.tokengate.request;

import io.vertx.core.http.HttpMethod;

/**
 * The public API operations a client can call (the output of stage 1, Match). {@code path} uses OpenAPI's template
 * syntax. Not to be confused with an upstream endpoint ({@code EndpointSpec}), where a request is sent.
 */
public enum Operation {
    CHAT_COMPLETIONS(HttpMethod.POST, "/v1/chat/completions"),
    COMPLETIONS(HttpMethod.POST, "/v1/completions"),
    EMBEDDINGS(HttpMethod.POST, "/v1/embeddings"),
    LIST_MODELS(HttpMethod.GET, "/v1/models"),
    GET_MODEL(HttpMethod.GET, "/v1/models/{model}");

    private final HttpMethod method;
    private final String path;

    Operation(HttpMethod method, String path) {
        this.method = method;
        this.path = path;
    }

    public HttpMethod method() {
        return method;
    }

    /** The path as OpenAPI writes it, e.g. {@code /v1/models/{model}}. */
    public String path() {
        return path;
    }

    /** True for routes that proxy a model request to a backend. */
    public boolean proxied() {
        return method == HttpMethod.POST;
    }
}
