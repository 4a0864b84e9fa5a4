package io.tokengate.testing.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Hostile bodies, enumerated (not random): every family on every POST route. Each body is invalid in a way the
 * gateway must see itself, so the expected answer never depends on the backend.
 */
public final class BodyCorpus {
    private final List<Hostile> out = new ArrayList<>();

    private BodyCorpus() {}

    public static List<Hostile> all() {
        BodyCorpus corpus = new BodyCorpus();
        for (PostRoute route : PostRoute.values()) {
            corpus.wrongTypes(route);
            corpus.forwardedFieldsAreSkippedSafely(route);
            corpus.extremeNumbers(route);
            corpus.deepNesting(route);
            corpus.duplicateKeys(route);
            corpus.hugeArrays(route);
        }
        return List.copyOf(corpus.out);
    }

    /** Every validated field, every mistyped value, the field first and last. */
    private void wrongTypes(PostRoute route) {
        for (String field : FieldRules.VALIDATED) {
            for (String value : FieldRules.VALUES) {
                int expected = FieldRules.expected(field, value);
                if (expected != 0) {
                    add("wrong-type", route, field + "=" + value, FieldRules.set(route.valid(), field, value), expected);
                    JsonBody first = FieldRules.set(new JsonBody(), field, value).withDefaults(route.valid());
                    add("wrong-type", route, field + "=" + value + " first", first, expected);
                }
            }
        }
    }

    /** Fields the gateway does not read, holding anything: it must skip them and still answer 404 for the model. */
    private void forwardedFieldsAreSkippedSafely(PostRoute route) {
        for (String field : FieldRules.FORWARDED) {
            for (String value : FieldRules.VALUES) {
                add("forwarded-field", route, field + "=" + value, route.unknownModel().set(field, value), 404);
            }
        }
    }

    /** Numbers at and past every limit, in the token limits (400) and in a forwarded field (404 when valid JSON). */
    private void extremeNumbers(PostRoute route) {
        for (String number : HostileValues.NUMBERS) {
            for (String field : List.of("max_tokens", "max_completion_tokens")) {
                int expected = FieldRules.expected(field, number);
                if (expected != 0) {
                    add("extreme-number", route, field + "=" + abbreviated(number), route.valid().set(field, number), expected);
                }
            }
            int asModel = HostileValues.isJsonNumber(number) ? 404 : 400;
            add("extreme-number", route, "n=" + abbreviated(number), route.unknownModel().set("n", number), asModel);
            add("extreme-number", route, "temperature=" + abbreviated(number),
                    route.unknownModel().set("temperature", number), asModel);
        }
    }

    /** Nesting past the parser's depth limit, closed and unclosed, at the root and in every kind of field. */
    private void deepNesting(PostRoute route) {
        for (int depth : new int[] {1_001, 2_500, 6_000}) {
            for (String shape : HostileValues.NEST_SHAPES) {
                for (boolean closed : new boolean[] {true, false}) {
                    String nest = HostileValues.nest(shape, depth, closed);
                    String label = shape + "×" + depth + (closed ? "" : " unclosed");
                    add("deep-nesting", route, "root " + label, utf8(nest), 400);
                    for (String field : List.of("messages", route.promptField, "stream_options", "tools", "x_unknown")) {
                        add("deep-nesting", route, field + " " + label, route.valid().set(field, nest), 400);
                    }
                }
            }
        }
    }

    /** Duplicate keys where one occurrence is mistyped (400 whichever comes last), and floods of repeated keys. */
    private void duplicateKeys(PostRoute route) {
        for (String field : FieldRules.VALIDATED) {
            String valid = field.startsWith("stream") ? "false" : field.equals("model") ? "\"" + route.model + "\""
                    : field.startsWith("max") ? "3" : field.equals("messages") ? PostRoute.CHAT.prompt : "\"hi\"";
            String opts = field.equals("stream_options") ? "{}" : valid;
            List<String> wrong = FieldRules.VALUES.stream().filter(v -> FieldRules.expected(field, v) == 400).limit(6).toList();
            for (String w : wrong) {
                add("duplicate-key", route, field + " valid,wrong " + w, FieldRules.set(route.valid(), field, opts)
                        .add(dotted(field), wrapped(field, w)), 400);
                add("duplicate-key", route, field + " wrong,valid " + w,
                        FieldRules.set(route.valid(), field, opts).prepend(dotted(field), wrapped(field, w)), 400);
                add("duplicate-key", route, field + " wrong,wrong " + w, FieldRules.set(route.valid(), field, w)
                        .add(dotted(field), wrapped(field, wrong.getFirst())), 400);
            }
        }
        for (int copies : new int[] {10, 1_000, 5_000}) {
            JsonBody flood = route.unknownModel();
            JsonBody models = route.valid();
            for (int i = 0; i < copies; i++) {
                flood.add("x", "1");
                models.add("model", i % 2 == 0 ? "\"sim-llama\"" : "\"no-such-model\"");
            }
            add("duplicate-key", route, "x ×" + copies, flood, 404);
            add("duplicate-key", route, "model ×" + copies + " last unknown", models, 404);
        }
    }

    /** Arrays of thousands of elements, with the fault after them (the scanner must walk them all first). */
    private void hugeArrays(PostRoute route) {
        for (int size : new int[] {10, 1_000, 10_000, 20_000}) {
            add("huge-array", route, "messages {}×" + size + " then stream=\"yes\"",
                    route.valid().set("messages", array(size, i -> "{}")).set("stream", "\"yes\""), 400);
            add("huge-array", route, "messages []×" + size + " then max_tokens=0",
                    route.valid().set("messages", array(size, i -> "[]")).set("max_tokens", "0"), 400);
            add("huge-array", route, "prompt ids×" + size + " then 1.5",
                    route.valid().set("prompt", array(size, i -> i == size - 1 ? "1.5" : "1")), 400);
            add("huge-array", route, "input null×" + size,
                    route.valid().set("input", array(size, i -> "null")), 400);
            add("huge-array", route, "x_unknown ints×" + size, route.unknownModel().set("x_unknown", array(size, i -> "7")), 404);
            add("huge-array", route, "tools {}×" + size, route.unknownModel().set("tools", array(size, i -> "{}")), 404);
        }
    }

    private static String dotted(String field) {
        return field.equals("stream_options.include_usage") ? "stream_options" : field;
    }

    private static String wrapped(String field, String value) {
        return field.equals("stream_options.include_usage") ? "{\"include_usage\":" + value + "}" : value;
    }

    static String array(int size, IntFunction<String> element) {
        StringBuilder json = new StringBuilder(size * 4).append('[');
        for (int i = 0; i < size; i++) {
            json.append(i > 0 ? "," : "").append(element.apply(i));
        }
        return json.append(']').toString();
    }

    private static String abbreviated(String text) {
        return text.length() > 40 ? text.substring(0, 20) + "…(" + text.length() + " chars)" : text;
    }

    private void add(String family, PostRoute route, String label, JsonBody body, int expected) {
        add(family, route, label, body.bytes(), expected);
    }

    private void add(String family, PostRoute route, String label, byte[] body, int expected) {
        out.add(Hostile.post(family, route.name().toLowerCase() + " " + label, route.path, body, expected));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
