package io.tokengate.request;

/**
 * How many tokens (prompt + completion) a stream may deliver. Streams without {@code max_tokens} start with a
 * reserved chunk that grows in the background as they proceed; once the budget refuses more, the relay stops
 * the stream at the allowance and ends it with an {@code insufficient_quota} error event.
 */
public interface TokenAllowance {
    TokenAllowance UNLIMITED = total -> true;

    /** True if delivering a stream whose running total would be {@code totalTokens} is allowed. */
    boolean permits(long totalTokens);
}
