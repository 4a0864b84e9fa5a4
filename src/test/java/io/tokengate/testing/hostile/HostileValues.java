package io.tokengate.testing.hostile;

import java.util.List;
import java.util.regex.Pattern;

/** Building blocks of hostile bodies: extreme numbers, nesting shapes, invalid UTF-8 sequences, odd roots. */
public final class HostileValues {
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    /** Jackson's default {@code StreamReadConstraints.maxNumberLength}: longer numbers are refused by any parser. */
    private static final int MAX_NUMBER_LENGTH = 1000;

    /** Numbers at and past every limit, and literals that look like numbers but are not JSON. */
    public static final List<String> NUMBERS = List.of("0", "-0", "-0.0", "0e0", "0.0", "1.0", "1e0", "1E+2", "1e308",
            "-1e308", "1e-400", "1e999", "-1e999", "4.9e-324", "2147483647.0", "2147483648", "-2147483648",
            "-2147483649", "4294967297", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "1" + "0".repeat(999), "1" + "0".repeat(1_500), "1" + "0".repeat(20_000), "0." + "5".repeat(5_000),
            "1e" + "9".repeat(50), "NaN", "Infinity", "-Infinity", "+1", "01", "0x10", ".5", "1.", "1e", "--1", "1_000");

    /** Opening and closing text of one nesting level. */
    public static final List<String> NEST_SHAPES = List.of("[", "{\"a\":", "[{\"a\":");

    /**
     * Invalid UTF-8 that a strict decoder refuses wherever it stands: stray continuation bytes, bad continuations,
     * cut sequences, bytes no UTF-8 has, overlong forms, code points past U+10FFFF, encoded surrogates, raw control
     * characters in strings.
     */
    public static final List<byte[]> BAD_UTF8 = List.of(bytes(0x80), bytes(0xBF), bytes(0xC3, 0x28),
            bytes(0xE2, 0x28, 0xA1), bytes(0xE2, 0x82), bytes(0xF0, 0x28, 0x8C, 0xBC), bytes(0xF8, 0xA1, 0xA1, 0xA1, 0xA1),
            bytes(0xFC, 0x80, 0x80, 0x80, 0x80, 0x80), bytes(0xFE), bytes(0xFF), bytes(0x00), bytes(0x1F), bytes(0x0A),
            bytes(0xC0, 0xAF), bytes(0xC1, 0xBF), bytes(0xE0, 0x80, 0xAF), bytes(0xF4, 0x90, 0x80, 0x80),
            bytes(0xED, 0xA0, 0x80));

    /** UTF-16 surrogates encoded as UTF-8: refused wherever they stand. */
    public static final List<byte[]> ENCODED_SURROGATES = List.of(bytes(0xED, 0xA0, 0x80), bytes(0xED, 0xBF, 0xBF));

    /** Bodies that are not a JSON object, or not JSON at all. */
    public static final List<String> ROOTS = List.of("", " ", "\r\n", "null", "true", "false", "0", "-0", "1e308",
            "\"s\"", "\"{}\"", "[]", "[{}]", "[{\"model\":\"sim-llama\"}]", "{}", "{", "}", "[", "{\"model\"}",
            "{\"model\":}", "{\"model\":\"sim-llama\",}", "{,}", "{\"a\":1,,\"b\":2}", "{'model':'sim-llama'}",
            "{model:\"sim-llama\"}", "/* c */{\"model\":\"sim-llama\"}", "{\"model\":\"sim-llama\" // c\n}",
            "{\"model\":\"sim-llama\"}{}", "{\"model\":\"sim-llama\"}x", "{\"model\":\"sim-llama\"}]", "\u0000",
            "{\"model\":\"sim-\u0001llama\"}", "{\"model\":\"sim-llama\\q\"}", "{\"model\":\"\\u12\"}",
            "{\"model\":nul}", "{\"model\":tru}", "{\"model\":\"sim-llama\"\"messages\":[]}");

    private HostileValues() {}

    /** {@code depth} levels of {@code shape}, closed with a leaf or left open. */
    public static String nest(String shape, int depth, boolean closed) {
        StringBuilder json = new StringBuilder(depth * (shape.length() + 2)).append(shape.repeat(depth));
        if (closed) {
            json.append('1');
            String close = new StringBuilder(shape.replaceAll("[^\\[{]", "").replace('[', ']').replace('{', '}'))
                    .reverse().toString();
            json.append(close.repeat(depth));
        }
        return json.toString();
    }

    /** Valid JSON number text that any parser with default limits accepts. */
    public static boolean isJsonNumber(String text) {
        return text.length() <= MAX_NUMBER_LENGTH && JSON_NUMBER.matcher(text).matches();
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
