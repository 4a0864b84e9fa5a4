package io.tokengate.relay;

import io.tokengate.request.FinishReason;
import io.tokengate.request.TokenAllowance;
import io.tokengate.request.Usage;
import io.tokengate.request.UsageReader;

/**
 * Looks at each SSE event on its way to the client: taps usage, notes {@code [DONE]} and error events,
 * counts content chunks (the estimate when no usage comes), and hides what the gateway asked for on its own
 * (the usage-only chunk and {@code "usage":null} fields) when the client did not ask for usage.
 */
final class StreamTap {
    enum Verdict { FORWARD, HIDE, STRIP_USAGE_NULL, STOP_BUDGET }

    private static final byte[] DATA = Bytes.ascii("data:");
    private static final byte[] DONE = Bytes.ascii("[DONE]");
    private static final byte[] USAGE = Bytes.ascii("\"usage\"");
    static final byte[] USAGE_NULL = Bytes.ascii(",\"usage\":null");
    private static final byte[] ERROR = Bytes.ascii("\"error\"");
    private static final byte[] NO_CHOICES = Bytes.ascii("\"choices\":[]");
    private static final byte[] CONTENT = Bytes.ascii("\"content\":\"");
    private static final byte[] TEXT = Bytes.ascii("\"text\":\"");

    private final boolean hideUsage;
    private final TokenAllowance allowance;
    private final int promptTokens;
    private Usage reported;
    private boolean sawDone;
    private boolean sawError;
    private int contentChunks;
    private String finishReason;

    StreamTap(boolean hideUsage) {
        this(hideUsage, TokenAllowance.UNLIMITED, 0);
    }

    StreamTap(boolean hideUsage, TokenAllowance allowance, int estimatedPromptTokens) {
        this.hideUsage = hideUsage;
        this.allowance = allowance;
        this.promptTokens = estimatedPromptTokens;
    }

    Verdict inspect(byte[] d, int start, int end) {
        int data = Bytes.indexOf(d, start, end, DATA);
        if (data < 0) {
            return Verdict.FORWARD; // comments, event names, retry hints: passed through
        }
        int from = data + DATA.length;
        if (from < end && d[from] == ' ') {
            from++;
        }
        if (Bytes.contains(d, from, Math.min(end, from + DONE.length), DONE)) {
            sawDone = true;
            return Verdict.FORWARD;
        }
        return inspectJson(d, from, end);
    }

    private Verdict inspectJson(byte[] d, int from, int end) {
        if (Bytes.contains(d, from, Math.min(end, from + 12), ERROR)) {
            sawError = true;
            return Verdict.FORWARD;
        }
        if (carriesText(d, from, end)) {
            if (!allowance.permits((long) promptTokens + contentChunks + 1)) {
                return Verdict.STOP_BUDGET; // this token would overspend: not delivered
            }
            contentChunks++;
        }
        if (finishReason == null) {
            finishReason = FinishReason.find(d, from, end);
        }
        int usage = Bytes.lastIndexOf(d, from, end, USAGE);
        if (usage < 0) {
            return Verdict.FORWARD;
        }
        if (valueStartsWith(d, usage + USAGE.length, end, 'n')) { // "usage":null, what the gateway asked for
            return hideUsage ? Verdict.STRIP_USAGE_NULL : Verdict.FORWARD;
        }
        Usage tapped = tapUsage(d, from, end); // only chunks that carry a usage object are parsed
        if (tapped != null) {
            reported = tapped;
            return hideUsage && Bytes.contains(d, from, end, NO_CHOICES) ? Verdict.HIDE : Verdict.FORWARD;
        }
        return Verdict.FORWARD;
    }

    private static boolean valueStartsWith(byte[] d, int at, int end, char c) {
        int i = at;
        while (i < end && (d[i] == ':' || d[i] == ' ')) {
            i++;
        }
        return i < end && d[i] == c;
    }

    /** True when the chunk carries generated text (a non-empty {@code content} or {@code text} string). */
    private static boolean carriesText(byte[] d, int from, int end) {
        int at = Bytes.indexOf(d, from, end, CONTENT);
        int after = at + CONTENT.length;
        if (at < 0) {
            at = Bytes.indexOf(d, from, end, TEXT);
            after = at + TEXT.length;
        }
        return at >= 0 && after < end && d[after] != '"';
    }

    private static Usage tapUsage(byte[] d, int from, int end) {
        try {
            return UsageReader.fromChunk(d, from, end - from);
        } catch (UsageReader.NotJson e) {
            return null;
        }
    }

    /** The backend's finish reason, null until a chunk carried one. */
    String finishReason() {
        return finishReason;
    }

    /** True when the backend finished the stream properly. */
    boolean complete() {
        return sawDone && !sawError;
    }

    /** What was delivered: the backend's usage, or an estimate from the content chunks seen. */
    Usage usage(int estimatedPromptTokens) {
        return reported != null ? reported : new Usage(estimatedPromptTokens, contentChunks, true);
    }
}
