package io.tokengate.config;

/** A validated upstream endpoint: where it is and how much traffic it takes relative to its peers. */
public record EndpointSpec(EndpointId id, String scheme, String host, int port, String basePath, int weight) {

    /** True for TLS endpoints. */
    public boolean ssl() {
        return "https".equals(scheme);
    }

    /** The upstream request path for an OpenAI path such as {@code /v1/chat/completions}. */
    public String path(String openAiPath) {
        return basePath + openAiPath;
    }
}
