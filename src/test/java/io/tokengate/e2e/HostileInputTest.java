package io.tokengate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import io.tokengate.testing.hostile.BodyCorpus;
import io.tokengate.testing.hostile.Hostile;
import io.tokengate.testing.hostile.HostileArbitraries;
import io.tokengate.testing.hostile.HostileBody;
import io.tokengate.testing.hostile.RawHttp;
import io.tokengate.testing.hostile.WireCorpus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * More than 10,000 malformed and hostile requests over real HTTP (raw sockets, any bytes) at a running gateway:
 * the enumerated corpus ({@link BodyCorpus}, {@link WireCorpus}) and bodies drawn from the jqwik generators
 * ({@link HostileArbitraries}). Every answer is the expected 4xx with the OpenAI error body, none is 5xx, none
 * hangs, and the gateway serves a normal request afterwards.
 */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class HostileInputTest {
    private static final int GENERATED = 3_000;
    private static final int AT_LEAST = 10_000;
    private static final Duration PER_REQUEST = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyHostileRequestGetsItsOpenAiErrorNoneHangsAndTheGatewayStillServes() throws Exception {
        List<Hostile> requests = new ArrayList<>(BodyCorpus.all());
        requests.addAll(WireCorpus.all());
        HostileArbitraries.any().sampleStream().limit(GENERATED).map(HostileBody::request).forEach(requests::add);

        Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (Hostile request : requests) {
            pool.submit(() -> {
                String problem = problem(request, port);
                answered.computeIfAbsent(request.family(), f -> new AtomicInteger()).incrementAndGet();
                if (problem != null) {
                    failures.add(problem.replace('\n', ' ') + " <- " + request.family() + " " + request.label()
                            + " expecting " + request.expected());
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).as("all answered").isTrue();

        Map<String, Integer> perFamily = new TreeMap<>();
        answered.forEach((family, n) -> perFamily.put(family, n.get()));
        System.out.println("hostile requests answered per family: " + perFamily);
        assertThat(perFamily.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(requests.size())
                .isGreaterThanOrEqualTo(AT_LEAST);
        failures.forEach(f -> System.out.println("HOSTILE FAILURE " + f));
        assertThat(failures).as(failures.size() + " failures (each printed as HOSTILE FAILURE)").isEmpty();
        servesNormally();
    }

    private static void servesNormally() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("sim-llama")
                .addUserMessage("hello after the storm").maxCompletionTokens(4).build();
        assertThat(Gateway.sdk().chat().completions().create(params).choices()).hasSize(1);
        assertThat(Gateway.request("GET", "/v1/models").statusCode()).isEqualTo(200);
    }

    /** What is wrong with the gateway's answer to {@code request}, or null. */
    private static String problem(Hostile request, int port) {
        RawHttp.Answer answer;
        try {
            answer = RawHttp.exchange(port, request.wire(), PER_REQUEST);
        } catch (RawHttp.Hung e) {
            return "hung (" + e.getMessage() + ")";
        } catch (IOException | RuntimeException e) {
            return "no answer (" + e + ")";
        }
        if (answer.status() != request.expected()) {
            return "status " + answer.status() + " " + abbreviated(answer.text());
        }
        if (!"application/json".equals(answer.headers().get("content-type"))) {
            return "content-type " + answer.headers().get("content-type") + " " + abbreviated(answer.text());
        }
        if (!answer.headers().containsKey("x-request-id")) {
            return "no x-request-id";
        }
        return errorShape(answer.text());
    }

    /** Null when {@code body} is {@code {"error":{"message","type","param","code"}}} with text message and type. */
    private static String errorShape(String body) {
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode error = root.path("error");
            boolean shaped = root.isObject() && root.size() == 1 && error.isObject()
                    && Set.copyOf(iterable(error)).equals(Set.of("message", "type", "param", "code"))
                    && error.get("message").isTextual() && error.get("type").isTextual()
                    && (error.get("param").isNull() || error.get("param").isTextual())
                    && (error.get("code").isNull() || error.get("code").isTextual());
            return shaped ? null : "not the OpenAI error shape: " + abbreviated(body);
        } catch (IOException e) {
            return "body is not JSON: " + abbreviated(body);
        }
    }

    private static List<String> iterable(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String abbreviated(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
