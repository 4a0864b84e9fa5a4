package io.tokengate.relay;

import java.nio.charset.StandardCharsets;

/** Byte-level search helpers for SSE framing (no decoding to strings on the hot path). */
final class Bytes {
    private Bytes() {}

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Index of {@code pattern} in {@code data[from, to)}, or -1. */
    static int indexOf(byte[] data, int from, int to, byte[] pattern) {
        int last = to - pattern.length;
        outer:
        for (int i = from; i <= last; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Index of the last {@code pattern} in {@code data[from, to)}, or -1 (usage sits at the end of chunks). */
    static int lastIndexOf(byte[] data, int from, int to, byte[] pattern) {
        outer:
        for (int i = to - pattern.length; i >= from; i--) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static boolean contains(byte[] data, int from, int to, byte[] pattern) {
        return indexOf(data, from, to, pattern) >= 0;
    }
}
