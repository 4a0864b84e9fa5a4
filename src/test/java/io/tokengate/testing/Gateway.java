package io.tokengate.testing;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;

/** Clients for the gateway under test: the official OpenAI Java SDK, and raw HTTP for what the SDK cannot send. */
public final class Gateway {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The demo tenant's key in the test profile ({@code %test.tokengate.bootstrap.demo-key}). */
    public static final String DEMO_KEY = "sk-tg-testdemo0001-TestOnlyDemoSecretNotForProduction00000000000";

    private Gateway() {}

    public static String baseUrl() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        return "http://127.0.0.1:" + port;
    }

    /** The management interface ({@code /q/health}, {@code /q/metrics}): its own port, not the public one. */
    public static String managementUrl() {
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        return "http://127.0.0.1:" + port;
    }

    /** A GET on the management interface, e.g. {@code management("/q/metrics")}; no credentials. */
    public static HttpResponse<String> management(String path) {
        return send(HttpRequest.newBuilder(URI.create(managementUrl() + path)).GET().build());
    }

    /** The official SDK pointed at the gateway, with retries off so every test sees the first answer. */
    public static OpenAIClient sdk() {
        return sdk(DEMO_KEY);
    }

    /** The official SDK with the given API key or token. */
    public static OpenAIClient sdk(String apiKey) {
        return OpenAIOkHttpClient.builder().baseUrl(baseUrl() + "/v1").apiKey(apiKey)
                .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    }

    public static HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("content-type", "application/json")
                .header("authorization", "Bearer " + DEMO_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public static HttpResponse<String> request(String method, String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("authorization", "Bearer " + DEMO_KEY)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the simulator last received from the gateway ({@code /sim/last-request}). */
    public static String lastUpstreamRequest() {
        return send(HttpRequest.newBuilder(URI.create(SimulatorResource.simulator().baseUrl() + "/sim/last-request"))
                .GET().build()).body();
    }
}
