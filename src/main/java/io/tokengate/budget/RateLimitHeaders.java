package io.tokengate.budget;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenAI's {@code x-ratelimit-*} headers for the tightest request and token limits of a decision; omitted when no
 * scope has such a limit. Resets are written the way OpenAI writes durations ({@code 20ms}, {@code 1s},
 * {@code 6m0s}).
 */
public final class RateLimitHeaders {
    private RateLimitHeaders() {}

    public static Map<String, String> of(LimitDecision decision) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (decision == null) {
            return headers;
        }
        put(headers, "requests", decision.requests());
        put(headers, "tokens", decision.tokens());
        return headers;
    }

    private static void put(Map<String, String> headers, String kind, RateLimitState state) {
        if (state != null) {
            headers.put("x-ratelimit-limit-" + kind, Long.toString(state.limit()));
            headers.put("x-ratelimit-remaining-" + kind, Long.toString(Math.max(0, state.remaining())));
            headers.put("x-ratelimit-reset-" + kind, duration(state.resetMillis()));
        }
    }

    /** {@code 20ms}, {@code 1s}, {@code 1.5s}, {@code 6m0s}, {@code 1h2m3s}. */
    static String duration(long millis) {
        if (millis < 1000) {
            return Math.max(0, millis) + "ms";
        }
        long seconds = millis / 1000;
        long tenths = (millis % 1000) / 100;
        if (seconds < 60) {
            return tenths == 0 ? seconds + "s" : seconds + "." + tenths + "s";
        }
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        return (h > 0 ? h + "h" : "") + m + "m" + s + "s";
    }
}
