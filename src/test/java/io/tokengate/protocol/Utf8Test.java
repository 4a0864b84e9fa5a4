package io.tokengate.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Strict UTF-8, checked against the JDK's own encoder for what is valid and against the RFC's forbidden forms. */
class Utf8Test {

    @Test
    void everyScalarValueEncodedByTheJdkIsValid() {
        StringBuilder all = new StringBuilder();
        for (int cp = 0; cp <= 0x10FFFF; cp += (cp < 0x3000 ? 1 : 97)) {
            if (cp < 0xD800 || cp > 0xDFFF) {
                all.appendCodePoint(cp);
            }
        }
        all.appendCodePoint(0x10FFFF).appendCodePoint(0xFFFF).appendCodePoint(0xE000).appendCodePoint(0xD7FF);
        assertThat(Utf8.firstInvalid(all.toString().getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }

    @Test
    void overlongSurrogateTooLargeStrayAndTruncatedSequencesAreNot() {
        int[][] bad = {
                {0xC0, 0xAF}, {0xC1, 0xBF}, {0xE0, 0x80, 0xAF}, {0xF0, 0x80, 0x80, 0xAF}, // overlong
                {0xED, 0xA0, 0x80}, {0xED, 0xBF, 0xBF}, // surrogates
                {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80}, {0xFF}, // past U+10FFFF, never used
                {0x80}, {0xBF}, // continuation without a lead
                {0xE2, 0x82}, {0xF0, 0x9F, 0x98}, {0xC3}, // truncated
                {0xE2, 0x28, 0xA1}, {0xC3, 0x28}, // a lead followed by ASCII
        };
        for (int[] sequence : bad) {
            byte[] data = new byte[sequence.length + 2];
            data[0] = 'a';
            for (int i = 0; i < sequence.length; i++) {
                data[i + 1] = (byte) sequence[i];
            }
            data[data.length - 1] = 'z';
            assertThat(Utf8.firstInvalid(data)).as(java.util.Arrays.toString(sequence)).isEqualTo(1);
        }
    }
}
