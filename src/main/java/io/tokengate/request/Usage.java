package io.tokengate.request;

/** Tokens one request consumed; {@code estimated} when the backend did not report them. */
public record Usage(int promptTokens, int completionTokens, boolean estimated) {
    public static final Usage NONE = new Usage(0, 0, false);

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
