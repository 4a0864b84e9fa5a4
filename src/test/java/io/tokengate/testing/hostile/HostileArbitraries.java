package io.tokengate.testing.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of hostile bodies, shared by the engine-run properties (against the parser) and the end-to-end
 * test (against a running gateway). Every body is one the gateway itself must refuse; the expected status comes from
 * {@link FieldRules}, written from the API contract.
 */
public final class HostileArbitraries {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private HostileArbitraries() {}

    /** Any JSON value: text of every code point, integers far beyond 64 bits, doubles, nested arrays and objects. */
    public static Arbitrary<JsonNode> jsonValue() {
        return Arbitraries.lazyOf(HostileArbitraries::scalar, HostileArbitraries::scalar, HostileArbitraries::scalar,
                () -> jsonValue().list().ofMaxSize(4).map(HostileArbitraries::array),
                () -> Arbitraries.maps(Arbitraries.strings().ofMaxLength(6), jsonValue()).ofMaxSize(3).map(HostileArbitraries::object));
    }

    private static Arbitrary<JsonNode> scalar() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(12).map(NODES::textNode),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30)).map(NODES::numberNode),
                Arbitraries.integers().between(-3, 3).map(i -> (JsonNode) NODES.numberNode(i)),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode()));
    }

    /** One validated field holding a value of the wrong type or range, among forwarded fields holding anything. */
    public static Arbitrary<HostileBody> wrongTypedField() {
        return Combinators.combine(Arbitraries.of(PostRoute.class), Arbitraries.of(FieldRules.VALIDATED), jsonValue(),
                forwardedMembers(), Arbitraries.integers().between(0, 5)).as((route, field, value, extra, position) -> {
                    int expected = FieldRules.expected(field, value.toString());
                    JsonBody body = route.valid();
                    extra.subList(0, Math.min(position, extra.size())).forEach(m -> body.set(m[0], m[1]));
                    FieldRules.set(body, field, value.toString());
                    extra.subList(Math.min(position, extra.size()), extra.size()).forEach(m -> body.set(m[0], m[1]));
                    return new HostileBody("wrong-type", route, body.bytes(), expected);
                }).filter(b -> b.expected() != 0);
    }

    /** A valid body with forwarded fields holding anything, cut short at any byte. */
    public static Arbitrary<HostileBody> truncated() {
        return Combinators.combine(validBody(), Arbitraries.doubles().between(0, 1)).as((body, cut) -> {
            int length = (int) Math.floor(cut * (body.body().length - 1));
            return new HostileBody("truncated", body.route(), Arrays.copyOf(body.body(), length), 400);
        });
    }

    /**
     * A valid body with an invalid UTF-8 sequence (or a raw control byte) inserted at any offset. A newline is
     * whitespace between tokens, so it is left out.
     */
    public static Arbitrary<HostileBody> corruptedUtf8() {
        List<byte[]> bad = HostileValues.BAD_UTF8.stream().filter(b -> b[0] != 0x0A).toList();
        return Combinators.combine(validBody(), Arbitraries.of(bad), Arbitraries.doubles().between(0, 1)).as((body, seq, at) -> {
            int offset = (int) Math.floor(at * body.body().length);
            byte[] bytes = WireCorpus.concat(Arrays.copyOf(body.body(), offset), seq,
                    Arrays.copyOfRange(body.body(), offset, body.body().length));
            return new HostileBody("invalid-utf8", body.route(), bytes, 400);
        });
    }

    /** Any of the generated families. */
    public static Arbitrary<HostileBody> any() {
        return Arbitraries.oneOf(wrongTypedField(), truncated(), corruptedUtf8());
    }

    private static Arbitrary<HostileBody> validBody() {
        return Combinators.combine(Arbitraries.of(PostRoute.class), forwardedMembers()).as((route, extra) -> {
            JsonBody body = route.valid();
            extra.forEach(m -> body.set(m[0], m[1]));
            return new HostileBody("valid", route, body.bytes(), 200);
        });
    }

    private static Arbitrary<List<String[]>> forwardedMembers() {
        return Combinators.combine(Arbitraries.of(FieldRules.FORWARDED), jsonValue())
                .as((name, value) -> new String[] {name, value.toString()}).list().ofMaxSize(4);
    }

    private static JsonNode array(List<JsonNode> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static JsonNode object(java.util.Map<String, JsonNode> members) {
        ObjectNode object = NODES.objectNode();
        members.forEach(object::set);
        return object;
    }
}
