package io.tokengate.ingress;

import io.vertx.core.http.HttpMethod;

/** The public OpenAI-compatible routes. {@code path} uses OpenAPI's template syntax. */
public enum Endpoint {
    CHAT_COMPLETIONS(HttpMethod.POST, "/v1/chat/completions", "chat"),
    COMPLETIONS(HttpMethod.POST, "/v1/completions", "text_completion"),
    EMBEDDINGS(HttpMethod.POST, "/v1/embeddings", "embeddings"),
    LIST_MODELS(HttpMethod.GET, "/v1/models", "models"),
    GET_MODEL(HttpMethod.GET, "/v1/models/{model}", "models");

    private final HttpMethod method;
    private final String path;
    private final String operation;

    Endpoint(HttpMethod method, String path, String operation) {
        this.method = method;
        this.path = path;
        this.operation = operation;
    }

    public HttpMethod method() {
        return method;
    }

    /** The path as OpenAPI writes it, e.g. {@code /v1/models/{model}}. */
    public String path() {
        return path;
    }

    /** The path as a Vert.x route, e.g. {@code /v1/models/:model}. */
    String routePath() {
        return path.replace("{model}", ":model");
    }

    /** The GenAI operation name used in logs and metrics. */
    public String operation() {
        return operation;
    }

    /** True for routes that proxy a model request to a backend. */
    public boolean proxied() {
        return method == HttpMethod.POST;
    }
}
