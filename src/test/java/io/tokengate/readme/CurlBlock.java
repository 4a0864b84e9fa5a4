package io.tokengate.readme;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One bash example block of the README, run as written against a gateway on {@code 127.0.0.1:<port>} (the only
 * change: {@code localhost:8080} becomes that address). A {@code curl} function wraps the real curl for the
 * script: it records each call's URL, status and body, prints the body as curl would, and fails the script
 * ({@code set -euo pipefail}) on a status outside 2xx.
 */
record CurlBlock(String script) {
    private static final Pattern CURL_CALL = Pattern.compile("(?m)(^\\s*|\\$\\()curl\\s");
    private static final String WRAPPER = """
            set -euo pipefail
            curl() {
              local out status url=
              for arg in "$@"; do [[ $arg == *127.0.0.1:* ]] && url=$arg; done
              out=$(command curl -sS --max-time 30 -w '\\n%{http_code}' "$@")
              status=${out##*$'\\n'}
              out=${out%$'\\n'*}
              printf '%s\\t%s\\t%s\\n' "$status" "$url" "$(printf '%s' "$out" | base64 | tr -d '\\n')" >> "$CURL_LOG"
              printf '%s\\n' "$out"
              [[ $status == 2?? ]] || { printf 'HTTP %s from %s: %s\n' "$status" "$url" "$out" >&2; return 22; }
            }
            """;

    /** The call a script made: its URL, HTTP status and body. */
    record Call(int status, String url, String body) {}

    /** What a run left: exit status, output, and the calls in order. */
    record Run(int exit, String output, List<Call> calls) {}

    static boolean isCurlExample(String block) {
        return CURL_CALL.matcher(block).find();
    }

    /** How many curl calls the block makes when it runs through. */
    int expectedCalls() {
        return (int) CURL_CALL.matcher(script).results().count();
    }

    Run run(int port, Map<String, String> env) throws IOException, InterruptedException {
        Path log = Files.createTempFile(Path.of("target"), "readme-curl-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", WRAPPER + script.replace("localhost:8080",
                    "127.0.0.1:" + port)).redirectErrorStream(true);
            builder.environment().putAll(env);
            builder.environment().put("CURL_LOG", log.toString());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return new Run(process.exitValue(), output, Files.readAllLines(log).stream().map(CurlBlock::call).toList());
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static Call call(String line) {
        String[] f = line.split("\t", -1);
        return new Call(Integer.parseInt(f[0]), f[1], new String(Base64.getDecoder().decode(f[2]), StandardCharsets.UTF_8));
    }
}
