package io.tokengate.testing.hostile;

/** The public POST routes, each with a model the demo tenant may use and the field that carries its prompt. */
public enum PostRoute {
    CHAT("/v1/chat/completions", "sim-llama", "messages", "[{\"role\":\"user\",\"content\":\"hi\"}]"),
    COMPLETIONS("/v1/completions", "sim-llama", "prompt", "\"hi\""),
    EMBEDDINGS("/v1/embeddings", "sim-embed", "input", "\"hi\"");

    public final String path;
    public final String model;
    public final String promptField;
    public final String prompt;

    PostRoute(String path, String model, String promptField, String prompt) {
        this.path = path;
        this.model = model;
        this.promptField = promptField;
        this.prompt = prompt;
    }

    /** A minimal body this route serves (200). */
    public JsonBody valid() {
        JsonBody body = new JsonBody().set("model", "\"" + model + "\"").set(promptField, prompt);
        return this == EMBEDDINGS ? body : body.set("max_tokens", "2");
    }

    /** A valid body naming a model nobody serves: the gateway must answer 404 once it has scanned the body. */
    public JsonBody unknownModel() {
        return valid().set("model", "\"no-such-model\"");
    }
}
