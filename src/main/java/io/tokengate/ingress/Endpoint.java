package io.tokengate.ingress;

import io.vertx.core.http.HttpMethod;

/** The public OpenAI-compatible routes. {@code path} uses OpenAPI's template syntax. */
public enum Endpoint {
    CHAT_COMPLETIONS(HttpMethod.POST, "/v1/chat/completions"),
    COMPLETIONS(HttpMethod.POST, "/v1/completions"),
    EMBEDDINGS(HttpMethod.POST, "/v1/embeddings"),
    LIST_MODELS(HttpMethod.GET, "/v1/models"),
    GET_MODEL(HttpMethod.GET, "/v1/models/{model}");

    private final HttpMethod method;
    private final String path;

    Endpoint(HttpMethod method, String path) {
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

    /** The path as a Vert.x route, e.g. {@code /v1/models/:model}. */
    String routePath() {
        return path.replace("{model}", ":model");
    }

    /** True for routes that proxy a model request to a backend. */
    public boolean proxied() {
        return method == HttpMethod.POST;
    }
}
