package io.tokengate.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Keycloak (the distribution Maven unpacks into {@code keycloak.test.home}) for the tests: started once per
 * test JVM on first use, with a fresh data directory and the realms of {@code infra/oidc} imported, stopped by a
 * shutdown hook. Its output goes to {@code target/keycloak-test.log}. Realms: {@code tokengate} (the gateway's
 * shared issuer) and {@code acme} (a tenant's own IdP). Tokens can be forged with {@link TokenForge}.
 */
public final class Keycloak {
    /** Where the running instance is announced (not under {@code tokengate.}: the config mapping rejects unknown keys), so that every class loader of the test JVM finds the same one. */
    private static final String URL_PROPERTY = "keycloak.test.url";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> REALMS = List.of("tokengate", "acme");

    private Keycloak() {}

    /** The base URL ({@code http://127.0.0.1:port}), starting Keycloak if it is not running yet. */
    public static synchronized String baseUrl() {
        String running = System.getProperty(URL_PROPERTY);
        if (running != null) {
            return running;
        }
        String url = start();
        System.setProperty(URL_PROPERTY, url);
        return url;
    }

    /** The issuer ({@code iss}) of a realm's tokens. */
    public static String issuer(String realm) {
        return baseUrl() + "/realms/" + realm;
    }

    /** An access token of a confidential client (OAuth2 client_credentials grant). */
    public static String clientCredentialsToken(String realm, String clientId, String secret) {
        String form = "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret=" + encode(secret);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(issuer(realm) + "/protocol/openid-connect/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request for " + clientId + " failed: HTTP " + response.statusCode());
        }
        return new JsonObject(response.body()).getString("access_token");
    }

    /** The realm's published signing keys (JWKS). */
    static String jwks(String realm) {
        return send(HttpRequest.newBuilder(URI.create(issuer(realm) + "/protocol/openid-connect/certs")).GET().build()).body();
    }

    /** A realm file of {@code infra/oidc}. */
    static Path realmFile(String realm) {
        return projectDir().resolve("infra/oidc/" + realm + "-realm.json");
    }

    private static String start() {
        Path home = Path.of(System.getProperty("keycloak.test.home", "target/keycloak/keycloak-26.5.6")).toAbsolutePath();
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("no Keycloak distribution at " + home + " (mvn process-test-resources unpacks it)");
        }
        int port = SimulatorResource.unusedPort();
        String url = "http://127.0.0.1:" + port;
        Path log = home.getParent().getParent().resolve("keycloak-test.log");
        long started = System.nanoTime();
        Process process = launch(home, port, SimulatorResource.unusedPort(), log);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process), "keycloak-stop"));
        awaitReady(process, url, log);
        System.out.printf("Keycloak ready at %s after %d s%n", url, Duration.ofNanos(System.nanoTime() - started).toSeconds());
        return url;
    }

    private static Process launch(Path home, int port, int managementPort, Path log) {
        try {
            prepareDataDir(home);
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + managementPort,
                    "--import-realm")
                    .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "test-only-admin");
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("JAVA_OPTS_APPEND", Scratch.childJvmOptions());
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Keycloak", e);
        }
    }

    /** A fresh {@code data/} (dev mode keeps its H2 database there) holding only the realms to import. */
    private static void prepareDataDir(Path home) throws IOException {
        Path data = home.resolve("data");
        if (Files.exists(data)) {
            try (Stream<Path> all = Files.walk(data)) {
                for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Path imports = Files.createDirectories(data.resolve("import"));
        for (String realm : REALMS) {
            Files.copy(realmFile(realm), imports.resolve(realm + "-realm.json"));
        }
    }

    private static void awaitReady(Process process, String url, Path log) {
        URI discovery = URI.create(url + "/realms/tokengate/.well-known/openid-configuration");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pause();
        }
        stop(process);
        throw new IllegalStateException("Keycloak not ready within " + START_TIMEOUT.toSeconds() + " s; see " + log);
    }

    private static void stop(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy(); // kc.sh forwards SIGTERM to the JVM it started
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static Path projectDir() {
        String home = System.getProperty("keycloak.test.home");
        return home == null ? Path.of("").toAbsolutePath() : Path.of(home).toAbsolutePath().getParent().getParent().getParent();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
