package io.tokengate.sim;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one completion request will produce and how fast.
 *
 * @param chat chat completion (else text completion)
 * @param model the requested model, echoed back
 * @param promptTokens estimated prompt tokens
 * @param completionTokens tokens to generate
 * @param finishReason {@code "length"} when max_tokens cut the output short, else {@code "stop"}
 * @param stream answer as server-sent events
 * @param streamUsage send the final usage chunk (stream_options.include_usage, unless sim.no_usage)
 * @param usage put {@code usage} in a non-streaming response (unless sim.no_usage)
 * @param ttftMs delay before the first token
 * @param itlMs delay between tokens
 * @param cutAfter content chunks to send before closing the connection, -1 for none
 */
record GenerationPlan(boolean chat, String model, int promptTokens, int completionTokens, String finishReason,
        boolean stream, boolean streamUsage, boolean usage, long ttftMs, long itlMs, int cutAfter) {

    static GenerationPlan of(boolean chat, JsonNode root, SimulatorSettings settings, SimControls controls) {
        int wanted = controls.outputTokens() >= 0 ? controls.outputTokens() : settings.outputTokens();
        int limit = maxTokens(root);
        boolean truncated = limit >= 0 && limit < wanted;
        int prompt = chat ? PromptTokens.chat(root.get("messages")) : PromptTokens.completion(root.get("prompt"));
        boolean stream = Json.boolField(root, "stream");
        JsonNode options = root.get("stream_options");
        boolean askedUsage = options != null && Json.boolField(options, "include_usage");
        return new GenerationPlan(chat, root.path("model").asText(), prompt, truncated ? limit : wanted,
                truncated ? "length" : "stop", stream, stream && askedUsage && !controls.noUsage(),
                !controls.noUsage(), latency(controls.ttftMs(), settings.timeToFirstToken().toMillis()),
                latency(controls.itlMs(), settings.interTokenLatency().toMillis()), controls.cutAfter());
    }

    /** The smaller of max_tokens and max_completion_tokens, -1 when neither is given. */
    private static int maxTokens(JsonNode root) {
        int a = Json.intField(root, "max_tokens", -1);
        int b = Json.intField(root, "max_completion_tokens", -1);
        int limit = a < 0 ? b : b < 0 ? a : Math.min(a, b);
        return limit < 0 ? -1 : limit;
    }

    private static long latency(long override, long fallback) {
        return override >= 0 ? override : fallback;
    }

    /** Delay of a non-streaming answer: time to first token plus one inter-token latency per token. */
    long totalMs() {
        return ttftMs + completionTokens * itlMs;
    }
}
