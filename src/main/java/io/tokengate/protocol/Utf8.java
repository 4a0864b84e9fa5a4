package io.tokengate.protocol;

/**
 * Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF, no truncated sequences. JSON
 * bodies must be UTF-8; a lenient decoder would let different readers (the gateway, the backend) see different
 * text in the same bytes, e.g. a corrupted field name taken for a known one.
 */
final class Utf8 {
    private Utf8() {}

    /** The offset of the first byte that is not strict UTF-8, or -1 when all of {@code data} is. */
    static int firstInvalid(byte[] data) {
        int i = 0;
        int n = data.length;
        while (i < n) {
            int b = data[i];
            if (b >= 0) { // ASCII, the common case
                i++;
                continue;
            }
            int lead = b & 0xFF;
            int length;
            int min;
            int max = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                length = 2;
                min = 0x80;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                length = 3;
                min = lead == 0xE0 ? 0xA0 : 0x80; // E0: no overlong forms
                max = lead == 0xED ? 0x9F : 0xBF; // ED: no surrogates
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                length = 4;
                min = lead == 0xF0 ? 0x90 : 0x80; // F0: no overlong forms
                max = lead == 0xF4 ? 0x8F : 0xBF; // F4: nothing past U+10FFFF
            } else {
                return i; // a continuation byte without a lead, C0/C1 (overlong) or F5..FF
            }
            if (i + length > n) {
                return i;
            }
            int second = data[i + 1] & 0xFF;
            if (second < min || second > max) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                if ((data[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }
}
