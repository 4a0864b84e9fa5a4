package io.tokengate.testing.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hostile requests beyond field values, enumerated: non-object roots, every truncation of real bodies, invalid
 * UTF-8 in every position, wrong content types, credential variants on every public route, wrong methods and
 * paths, bodies over the limit.
 */
public final class WireCorpus {
    /** Real bodies with every feature the scanner reads; each of their proper prefixes is invalid JSON. */
    private static final List<String> RICH = List.of(
            "{\"model\":\"sim-llama\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\","
                    + "\"content\":[{\"type\":\"text\",\"text\":\"h\u00e9llo \\u00e9 \\\"q\\\" \u6f22\"}]}],\"stream\":true,"
                    + "\"stream_options\":{\"include_usage\":true},\"max_tokens\":5,\"temperature\":0.5,\"tools\":[{\"type\":"
                    + "\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}],\"n\":1}",
            "{\"model\":\"sim-llama\",\"prompt\":[\"a\",[1,2,3]],\"max_completion_tokens\":5,\"stream\":false,\"echo\":false,"
                    + "\"logit_bias\":{\"50256\":-100},\"stop\":[\"\\n\"]}",
            "{\"model\":\"sim-embed\",\"input\":[\"alpha\",\"beta\",[1,2]],\"encoding_format\":\"float\",\"dimensions\":8}");
    private final List<Hostile> out = new ArrayList<>();

    private WireCorpus() {}

    public static List<Hostile> all() {
        WireCorpus corpus = new WireCorpus();
        for (PostRoute route : PostRoute.values()) {
            corpus.roots(route);
            corpus.truncations(route);
            corpus.invalidUtf8(route);
            corpus.contentTypes(route);
            corpus.oversize(route);
        }
        corpus.credentials();
        corpus.methodsAndPaths();
        return List.copyOf(corpus.out);
    }

    private void roots(PostRoute route) {
        for (String root : HostileValues.ROOTS) {
            post("non-object-root", route, root, utf8(root), 400);
        }
    }

    private void truncations(PostRoute route) {
        for (String body : RICH) {
            byte[] bytes = utf8(body);
            for (int length = 0; length < bytes.length; length++) {
                post("truncated", route, "at " + length + " of " + body.substring(0, 40), Arrays.copyOf(bytes, length), 400);
            }
        }
        byte[] minimal = route.valid().bytes();
        for (int length = 0; length < minimal.length; length++) {
            post("truncated", route, "valid body at " + length, Arrays.copyOf(minimal, length), 400);
        }
    }

    /** Each bad sequence in the model, the prompt, a forwarded field's name and value, and between tokens. */
    private void invalidUtf8(PostRoute route) {
        for (byte[] bad : HostileValues.ENCODED_SURROGATES) {
            String label = "bytes " + hex(bad) + " in ";
            post("invalid-utf8", route, label + "model", route.valid().addRaw(utf8("model"), quoted("sim-", bad, "llama")).bytes(), 400);
            post("invalid-utf8", route, label + "prompt", route.valid().addRaw(utf8("prompt"), quoted("a", bad, "b")).bytes(), 400);
            post("invalid-utf8", route, label + "a field name", route.valid().addRaw(concat(utf8("x"), bad), utf8("1")).bytes(), 400);
        }
        for (byte[] bad : HostileValues.BAD_UTF8) {
            String label = "bytes " + hex(bad) + " in ";
            post("invalid-utf8", route, label + "model", route.valid().addRaw(utf8("model"), quoted("sim-", bad, "llama")).bytes(), 400);
            post("invalid-utf8", route, label + "prompt", route.valid().addRaw(utf8("prompt"), quoted("a", bad, "b")).bytes(), 400);
            post("invalid-utf8", route, label + "message", route.valid().addRaw(utf8("messages"),
                    concat(utf8("[{\"role\":\"user\",\"content\":\"a"), bad, utf8("b\"}]"))).bytes(), 400);
            post("invalid-utf8", route, label + "input", route.valid().addRaw(utf8("input"), quoted("", bad, "")).bytes(), 400);
            post("invalid-utf8", route, label + "a field name", route.valid().addRaw(concat(utf8("x"), bad), utf8("1")).bytes(), 400);
            post("invalid-utf8", route, label + "a forwarded value", route.valid().addRaw(utf8("stop"), quoted("s", bad, "")).bytes(), 400);
            post("invalid-utf8", route, label + "a nested forwarded value", route.valid().addRaw(utf8("metadata"),
                    concat(utf8("{\"k\":[\""), bad, utf8("\"]}"))).bytes(), 400);
            if (bad[0] == 0x0A) {
                continue; // a newline between tokens is whitespace
            }
            byte[] valid = route.valid().bytes();
            post("invalid-utf8", route, label + "between tokens", concat(Arrays.copyOf(valid, 1), bad,
                    Arrays.copyOfRange(valid, 1, valid.length)), 400);
        }
    }

    private void contentTypes(PostRoute route) {
        List<String> bodies = List.of("model=sim-llama&messages=hi&prompt=hi&input=hi",
                "<request><model>sim-llama</model></request>", "model: sim-llama\nmessages: []\n", "",
                "--x\r\ncontent-disposition: form-data; name=\"model\"\r\n\r\nsim-llama\r\n--x--\r\n");
        List<String> types = List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/xml", "application/json; charset=utf-16", "application/json", "application/json, text/html",
                "", "*/*");
        for (String body : bodies) {
            for (String type : types) {
                out.add(Hostile.request("POST", route.path).header("content-type", type).bearer(Hostile.DEMO_KEY)
                        .body(body).build("content-type", route + " " + type + " / " + body, 400));
            }
            out.add(Hostile.request("POST", route.path).bearer(Hostile.DEMO_KEY).body(body)
                    .build("content-type", route + " none / " + body, 400));
        }
    }

    private void oversize(PostRoute route) {
        for (int size : new int[] {Hostile.MAX_BODY_BYTES + 1, 100_000, 1_000_000}) {
            String filler = "x".repeat(size);
            post("oversize", route, size + " bytes", route.valid().set("user", "\"" + filler + "\"").bytes(), 413);
        }
    }

    /** Every credential variant on every public route (the body, where there is one, is valid). */
    private void credentials() {
        List<Hostile.Builder> routes = new ArrayList<>();
        for (List<byte[]> headers : Credentials.VARIANTS) {
            routes.clear();
            for (PostRoute route : PostRoute.values()) {
                routes.add(Hostile.request("POST", route.path).header("content-type", "application/json").body(route.valid().bytes()));
            }
            routes.add(Hostile.request("GET", "/v1/models"));
            routes.add(Hostile.request("GET", "/v1/models/sim-llama"));
            for (Hostile.Builder request : routes) {
                headers.forEach(h -> request.header("authorization", h));
                out.add(request.build("credentials", Credentials.describe(headers), 401));
            }
        }
    }

    private void methodsAndPaths() {
        for (PostRoute route : PostRoute.values()) {
            for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
                out.add(authed(method, route.path).build("method-path", method + " " + route.path, 405));
            }
        }
        for (String path : List.of("/v1/models", "/v1/models/sim-llama")) {
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
                out.add(authed(method, path).build("method-path", method + " " + path, 405));
            }
        }
        for (String path : List.of("/v1/chat", "/v1/chat/completion", "/v1/completions/x", "/v1/embedding", "/v1/files",
                "/v1/%ff", "/v1/models/a/b", "/v1/chat/completions/x", "/chat/completions", "/", "/v2/models", "/%00")) {
            for (String method : List.of("GET", "POST")) {
                out.add(authed(method, path).build("method-path", method + " " + path, 404));
            }
        }
        for (String model : List.of("%ff", "%c0%af", "%00", "%e2%82", "a".repeat(3_000), "%20", "x%0d%0ay", "..", "%2e%2e",
                "a%2Fb", "%22%7D", "sim-llama%00", "SIM-LLAMA", "sim-llama%20")) {
            out.add(authed("GET", "/v1/models/" + model).build("method-path", "GET model " + model, 404));
        }
    }

    private static Hostile.Builder authed(String method, String path) {
        return Hostile.request(method, path).bearer(Hostile.DEMO_KEY);
    }

    private void post(String family, PostRoute route, String label, byte[] body, int expected) {
        out.add(Hostile.post(family, route.name().toLowerCase() + " " + label, route.path, body, expected));
    }

    private static byte[] quoted(String before, byte[] bad, String after) {
        return concat(utf8("\"" + before), bad, utf8(after + "\""));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String hex(byte[] bytes) {
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            hex.append(String.format("%02X", b & 0xFF));
        }
        return hex.toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
