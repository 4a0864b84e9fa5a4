package io.tokengate.protocol;

/**
 * A fast prompt-size estimate, used before the backend reports real usage: about four UTF-8 bytes per token
 * (OpenAI's rule of thumb for English) plus a small per-message overhead for chat formatting.
 */
public final class TokenEstimator {
    static final int BYTES_PER_TOKEN = 4;
    static final int TOKENS_PER_MESSAGE = 4;

    private TokenEstimator() {}

    /** Tokens for {@code textBytes} of text in {@code messages} chat messages (0 for non-chat) and raw token ids. */
    public static int promptTokens(long textBytes, int messages, int tokenIds) {
        long tokens = (textBytes + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN + (long) messages * TOKENS_PER_MESSAGE + tokenIds;
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }
}
