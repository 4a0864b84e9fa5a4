package io.tokengate.testing.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/** Authorization header variants that must all be refused with 401 (each entry: the header values sent, maybe none). */
final class Credentials {
    private static final String KEY = Hostile.DEMO_KEY;
    private static final String ID = "testdemo0001";
    private static final String SECRET = KEY.substring(("sk-tg-" + ID + "-").length());

    static final List<List<byte[]>> VARIANTS = variants();

    private Credentials() {}

    private static List<List<byte[]>> variants() {
        List<List<byte[]>> all = new ArrayList<>();
        all.add(List.of());
        for (String value : List.of("", " ", "Bearer", "Bearer ", "Bearer  ", "Basic " + b64("demo:" + KEY), "Token " + KEY,
                "Basic", KEY, "Bearer sk-tg-", "Bearer sk-tg-" + ID, "Bearer sk-tg-" + ID + "-", "Bearer sk-tg-" + ID + "-x",
                "Bearer sk-tg-" + ID + "-" + SECRET.substring(1), "Bearer " + KEY + "x", "Bearer " + KEY + " " + KEY,
                "Bearer sk-tg-" + ID.toUpperCase() + "-" + SECRET, "Bearer sk-tg-testdemo000-" + SECRET,
                "Bearer sk-tg-testdemo00011-" + SECRET, "Bearer sk-tg-../../etc-" + SECRET, "Bearer sk-tg-testdemo000%-x",
                "Bearer sk-tg-" + "a".repeat(12) + "-" + SECRET, "Bearer sk-tg-" + ID + "-" + SECRET.toLowerCase(),
                "Bearer sk-proj-" + "A".repeat(48), "Bearer " + "a".repeat(6_000), "Bearer sk-tg-" + "x".repeat(5_000) + "-y",
                "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwidG9rZW5nYXRlX3RlbmFudCI6ImRlbW8ifQ.",
                "Bearer " + unsignedJwt(), "Bearer a.b.c", "Bearer ...", "Bearer eyJ.eyJ.x", "Bearer null", "Bearer undefined",
                "Bearer sk-tg-" + ID + "-" + SECRET + "\u00e9", "Bearer sk-tg-t\u0435stdemo0001-" + SECRET)) {
            all.add(List.of(value.getBytes(StandardCharsets.UTF_8)));
        }
        all.add(List.of(WireCorpus.concat("Bearer sk-tg-".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF, (byte) 0xFE},
                ("-" + SECRET).getBytes(StandardCharsets.UTF_8))));
        all.add(List.of("Bearer bad-one".getBytes(StandardCharsets.UTF_8), "Bearer bad-two".getBytes(StandardCharsets.UTF_8)));
        return List.copyOf(all);
    }

    /** An unsigned token naming a far issuer with many audiences (it must not cost the gateway lookups). */
    private static String unsignedJwt() {
        String auds = java.util.stream.IntStream.range(0, 200).mapToObj(i -> "\"aud-" + i + "\"").collect(Collectors.joining(","));
        return b64("{\"alg\":\"RS256\",\"kid\":\"k\"}") + "." + b64("{\"iss\":\"http://169.254.169.254/\",\"aud\":[" + auds
                + "],\"sub\":\"x\",\"exp\":4102444800}") + "." + b64("sig");
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String describe(List<byte[]> headers) {
        if (headers.isEmpty()) {
            return "no authorization";
        }
        String text = headers.stream().map(h -> new String(h, StandardCharsets.ISO_8859_1)).collect(Collectors.joining(" | "));
        return "authorization " + (text.length() > 60 ? text.substring(0, 60) + "…" : text);
    }
}
