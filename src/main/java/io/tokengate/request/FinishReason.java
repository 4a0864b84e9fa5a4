package io.tokengate.request;

import java.nio.charset.StandardCharsets;

/** Finds the first {@code "finish_reason":"..."} value in raw JSON bytes, without parsing. */
public final class FinishReason {
    private static final byte[] KEY = "\"finish_reason\":".getBytes(StandardCharsets.US_ASCII);

    private FinishReason() {}

    /** The value (e.g. {@code stop}, {@code length}), or null when absent or {@code null}. */
    public static String find(byte[] d, int from, int end) {
        outer:
        for (int i = from; i <= end - KEY.length; i++) {
            for (int k = 0; k < KEY.length; k++) {
                if (d[i + k] != KEY[k]) {
                    continue outer;
                }
            }
            int at = i + KEY.length;
            while (at < end && d[at] == ' ') {
                at++;
            }
            if (at >= end || d[at] != '"') {
                continue; // null: a chunk before the last
            }
            int close = at + 1;
            while (close < end && d[close] != '"' && close - at < 64) {
                close++;
            }
            return close < end && d[close] == '"' ? new String(d, at + 1, close - at - 1, StandardCharsets.US_ASCII) : null;
        }
        return null;
    }
}
