package io.tokengate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.testing.Admin;
import io.tokengate.testing.Gateway;
import io.tokengate.testing.SimulatorResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana dashboard and the Prometheus alert rules of {@code infra/observability} use exactly the metric (and
 * label) names the gateway exports: requests of every kind go through the gateway, {@code /q/metrics} is scraped,
 * and every {@code gen_ai_*} / {@code tokengate_*} name the dashboard's and the rules' PromQL refers to must be a
 * sample name of the scrape. The comparison is at the sample level: {@code x_bucket} is fine when a sample named
 * {@code x_bucket} exists, a bare histogram family name is not.
 */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class DashboardMetricsTest {
    static final Path DASHBOARD = Path.of("infra/observability/grafana/tokengate-dashboard.json");
    static final Path ALERTS = Path.of("infra/observability/prometheus/tokengate-alerts.yaml");
    static final Path MAIN_SOURCES = Path.of("src/main/java");

    /**
     * Samples that appear only after events this test cannot cheaply cause on the {@link SimulatorResource} pools
     * (one endpoint per pool, breakers and passive ejection relaxed, health checks off, nothing scaled to zero).
     * They pass when the scrape has them anyway, or else when the main code registers the meter by name: the value
     * is the Micrometer name with dots as underscores ({@code tokengate.upstream.retries} is exported as
     * {@code tokengate_upstream_retries_total}). Their own tests cover the events (ResilienceTest and the routing
     * tests for breakers, retries and wakes).
     */
    static final Map<String, String> EVENT_ONLY = Map.of(
            // a breaker changes state: the sim pools' breakers need 1000 requests
            "tokengate_upstream_breaker_transitions_total", "tokengate_upstream_breaker_transitions",
            // a retry needs another endpoint or pool to go to: the sim pools have one endpoint and no fallback
            "tokengate_upstream_retries_total", "tokengate_upstream_retries",
            // wakes and the wake queue exist for pools scaled to zero only (a Timer: _count, _sum, _max)
            "tokengate_pool_wakes_total", "tokengate_pool_wakes",
            "tokengate_pool_queue_wait_seconds_count", "tokengate_pool_queue_wait",
            "tokengate_pool_queue_wait_seconds_sum", "tokengate_pool_queue_wait",
            "tokengate_pool_queue_wait_seconds_max", "tokengate_pool_queue_wait",
            // per tenant with a token budget: the test creates one, but the gauge may be updated asynchronously
            "tokengate_budget_remaining_ratio", "tokengate_budget_remaining_ratio");

    /** PromQL's (and Grafana's) own words: everything else in an expression is a metric name. */
    static final Set<String> PROMQL_WORDS = Set.of(
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "limitk", "limit_ratio", "by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan", "Inf", "NaN",
            "abs", "absent", "absent_over_time", "ceil", "changes", "clamp", "clamp_max", "clamp_min",
            "day_of_month", "day_of_week", "day_of_year", "days_in_month", "delta", "deriv", "exp", "floor",
            "histogram_avg", "histogram_count", "histogram_fraction", "histogram_quantile", "histogram_stddev",
            "histogram_stdvar", "histogram_sum", "holt_winters", "double_exponential_smoothing", "hour", "idelta",
            "increase", "irate", "label_join", "label_replace", "ln", "log2", "log10", "minute", "month",
            "predict_linear", "rate", "resets", "round", "scalar", "sgn", "sort", "sort_desc", "sort_by_label",
            "sort_by_label_desc", "sqrt", "time", "timestamp", "vector", "year", "avg_over_time", "min_over_time",
            "max_over_time", "sum_over_time", "count_over_time", "quantile_over_time", "stddev_over_time",
            "stdvar_over_time", "last_over_time", "present_over_time", "mad_over_time", "acos", "acosh", "asin",
            "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh", "deg", "pi", "rad",
            "label_values", "label_names", "metrics", "query_result");

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.$])[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SELECTOR = Pattern.compile("(?<![\\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)\\s*\"");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$");
    private static final Pattern METER_NAME = Pattern.compile("\"((?:tokengate|gen_ai)\\.[a-z0-9_.]+)\"");
    private static final Set<String> ALERTS_REQUIRED = Set.of("TokengateBudgetNearExhaustion", "TokengateHighErrorRatio",
            "TokengateBreakerOpen", "TokengatePoolDown", "TokengateHighOverheadP99", "TokengateStoreFailures");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the scrape had after the traffic: sample name to the label names seen on it. */
    private static Map<String, Set<String>> scraped;

    @BeforeAll
    static void causeEveryKindOfRequestThenScrape() throws Exception {
        String chat = "{\"model\":\"sim-llama\",\"messages\":[{\"role\":\"user\",\"content\":\"hello metrics\"}],\"max_tokens\":8";
        expect(200, Gateway.post("/v1/chat/completions", chat + "}"));
        HttpResponse<String> streamed = Gateway.post("/v1/chat/completions",
                chat + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        expect(200, streamed);
        assertThat(streamed.body()).contains("data: [DONE]");
        expect(200, Gateway.post("/v1/completions", "{\"model\":\"sim-llama\",\"prompt\":\"hello\",\"max_tokens\":4}"));
        expect(200, Gateway.post("/v1/embeddings", "{\"model\":\"sim-embed\",\"input\":\"hello metrics\"}"));
        expect(404, Gateway.post("/v1/chat/completions", chat.replace("sim-llama", "no-such-model") + "}"));
        expect(502, Gateway.post("/v1/chat/completions", chat + ",\"sim\":{\"fail\":500}}"));
        // a backend 429 ejects its endpoint (reason rate_limited; for 1 ms on this pool)
        expect(503, Gateway.post("/v1/chat/completions", chat + ",\"sim\":{\"fail\":429,\"retry_after\":1}}"));
        Thread.sleep(20);

        // a tenant with a token budget (the budget gauge) and one request per minute (a rejected admission)
        Admin.admin().delete("/admin/v1/tenants/obs-metrics");
        Admin.admin().body("{\"id\":\"obs-metrics\",\"allowed_models\":[\"*\"],\"limits\":{\"requests_per_minute\":1,"
                + "\"token_budget\":{\"limit\":1000000,\"period\":\"month\"}}}").post("/admin/v1/tenants")
                .then().statusCode(201);
        String key = Admin.createKey("obs-metrics", "{\"name\":\"metrics\"}").path("key");
        expect(200, postAs(key, chat + "}"));
        expect(429, postAs(key, chat + "}"));

        // streamed and failed requests may be recorded just after their response: wait until the scrape settles
        Set<String> required = new TreeSet<>(referencedMetrics().keySet());
        required.removeAll(EVENT_ONLY.keySet());
        long deadline = System.nanoTime() + 15_000_000_000L;
        do {
            scraped = samples(scrape());
            if (missing(required, scraped.keySet()).isEmpty()) {
                break;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
    }

    @Test
    void everyMetricTheDashboardAndTheAlertsUseIsExported() throws IOException {
        Map<String, Set<String>> referenced = referencedMetrics();
        assertThat(referenced).as("names the dashboard and rules refer to").containsKeys(
                "tokengate_requests_total", "gen_ai_client_token_usage_sum",
                "gen_ai_server_time_to_first_token_seconds_bucket", "tokengate_upstream_breaker_state");

        Set<String> registered = registeredMeterNames();
        Map<String, Set<String>> missing = new TreeMap<>();
        for (String name : missing(referenced.keySet(), scraped.keySet())) {
            boolean provenInSource = EVENT_ONLY.containsKey(name) && registered.contains(EVENT_ONLY.get(name));
            if (!provenInSource) {
                missing.put(name, referenced.get(name));
            }
        }
        assertThat(missing).as("metric names used (-> where) that GET /q/metrics does not export"
                + " (nor, for event-only ones, src/main/java registers)").isEmpty();
    }

    @Test
    void everyLabelMatchedOrGroupedOnExistsOnTheMetric() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : expressions().entrySet()) {
            problems.addAll(labelProblems(e.getValue(), scraped).stream().map(p -> e.getKey() + ": " + p).toList());
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aNameTheGatewayDoesNotExportIsReportedMissing() {
        String expr = "sum by (gen_ai_request_model, tenant) (rate(tokengate_no_such_metric{gen_ai_token_type=\"input\","
                + "tenant=~\"$tenant\"}[$__rate_interval])) / on () group_left sum(tokengate_upstream_available)";
        Set<String> names = metricNames(expr);
        assertThat(names).containsExactlyInAnyOrder("tokengate_no_such_metric", "tokengate_upstream_available");
        assertThat(missing(names, scraped.keySet())).containsExactly("tokengate_no_such_metric");
        assertThat(missing(Set.of("gen_ai_client_token_usage"), scraped.keySet()))
                .as("a histogram's family name is not one of its samples").containsExactly("gen_ai_client_token_usage");
        assertThat(labelProblems("sum by (no_such_label) (tokengate_upstream_available{pool=\"x\",pol=\"y\"})",
                scraped)).hasSize(2);
        assertThat(unknownIdentifiers("rate(http_server_requests_seconds_count[5m])"))
                .containsExactly("http_server_requests_seconds_count");
    }

    @Test
    void tokenizerSkipsFunctionsLabelsStringsAndVariables() {
        assertThat(metricNames("histogram_quantile(0.99, sum(rate(gen_ai_server_time_to_first_token_seconds_bucket"
                + "{gen_ai_request_model=~\"$model\",pool=~\"tokengate_x\"}[5m:1m])) by (le, gen_ai_operation_name))"
                + " > on (gen_ai_token_type) group_left (tenant) tokengate_a"))
                .containsExactlyInAnyOrder("gen_ai_server_time_to_first_token_seconds_bucket", "tokengate_a");
        assertThat(variableExpression("label_values(tokengate_requests_total{tenant=~\"$tenant\"}, model)"))
                .isEqualTo("tokengate_requests_total{tenant=~\"$tenant\"}");
        assertThat(samples("# TYPE a_total counter\na_total{x=\"1\",y=\"a,}\\\"b\"} 2.0\nb 1 1700000000\n"))
                .containsEntry("a_total", Set.of("x", "y")).containsEntry("b", Set.of());
    }

    @Test
    void dashboardIsAGrafanaDashboardWithTitledPanelsOnThePrometheusVariable() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        Map<String, JsonNode> variables = new HashMap<>();
        dashboard.path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
        assertThat(variables).containsKeys("DS_PROMETHEUS", "tenant", "model", "pool");
        assertThat(variables.get("DS_PROMETHEUS").path("type").asText()).isEqualTo("datasource");
        assertThat(variables.get("DS_PROMETHEUS").path("query").asText()).isEqualTo("prometheus");
        for (String v : List.of("tenant", "model", "pool")) {
            assertThat(variables.get(v).path("type").asText()).isEqualTo("query");
            assertThat(variableQuery(variables.get(v))).startsWith("label_values(");
        }

        List<JsonNode> panels = panels(dashboard);
        assertThat(panels).hasSizeGreaterThan(10);
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertThat(title).as("panel %s has a title", panel.path("id")).isNotBlank();
            assertThat(ids.add(panel.path("id").asInt())).as("panel id of %s is unique", title).isTrue();
            assertThat(panel.path("gridPos").path("w").asInt()).as("width of %s", title).isBetween(1, 24);
            if ("row".equals(panel.path("type").asText())) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).as("datasource of %s", title)
                    .isEqualTo("${DS_PROMETHEUS}");
            assertThat(panel.path("targets")).as("queries of %s", title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("expr").asText()).as("expr of %s", title).isNotBlank();
                assertThat(target.path("datasource").path("uid").asText("${DS_PROMETHEUS}")).isEqualTo("${DS_PROMETHEUS}");
            }
        }
        String all = panels.stream().flatMap(p -> stream(p.path("targets"))).map(t -> t.path("expr").asText())
                .collect(Collectors.joining("\n"));
        for (String needed : List.of("gen_ai_client_token_usage_sum", "gen_ai_server_time_to_first_token_seconds_bucket",
                "gen_ai_server_time_per_output_token_seconds_bucket", "gen_ai_client_operation_duration_seconds_bucket",
                "tokengate_gateway_overhead_seconds_bucket", "tokengate_admission_decisions_total",
                "tokengate_limits_store_failures_total", "tokengate_upstream_breaker_state",
                "tokengate_upstream_available", "tokengate_upstream_in_flight", "tokengate_upstream_retries_total",
                "tokengate_upstream_ejections_total", "tokengate_pool_wakes_total", "tokengate_pool_queue_wait_seconds")) {
            assertThat(all).as("the dashboard shows %s", needed).contains(needed);
        }
        assertThat(unknownIdentifiers(all)).as("identifiers that are neither PromQL nor tokengate metrics").isEmpty();
    }

    @Test
    void alertRulesAreAPlainPrometheusRuleFileWithSeverityAndRunbook() throws IOException {
        Map<String, Object> file = alertFile();
        assertThat(file).containsOnlyKeys("groups");
        Set<String> alerts = new TreeSet<>();
        for (Map<String, Object> group : maps(file.get("groups"))) {
            assertThat((String) group.get("name")).isNotBlank();
            for (Map<String, Object> rule : maps(group.get("rules"))) {
                String alert = (String) rule.get("alert");
                assertThat(alert).as("every rule is an alert").isNotBlank();
                assertThat(alerts.add(alert)).as("%s is defined once", alert).isTrue();
                assertThat(String.valueOf(rule.get("expr"))).as("expr of %s", alert).isNotBlank();
                assertThat(unknownIdentifiers(String.valueOf(rule.get("expr")))).as("identifiers of %s", alert).isEmpty();
                if (rule.containsKey("for")) {
                    assertThat(String.valueOf(rule.get("for"))).as("for of %s", alert).matches("(\\d+(ms|s|m|h|d|w|y))+");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> labels = (Map<String, Object>) rule.get("labels");
                assertThat(labels).as("labels of %s", alert).isNotNull();
                assertThat(labels.get("severity")).as("severity of %s", alert).isIn("critical", "warning", "info");
                @SuppressWarnings("unchecked")
                Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
                assertThat(annotations).as("annotations of %s", alert).isNotNull()
                        .containsKeys("summary", "description", "runbook");
            }
        }
        assertThat(alerts).containsAll(ALERTS_REQUIRED);
    }

    // ---------------------------------------------------------------------------------------------- the checks

    /** The names of {@code referenced} that are not sample names of the scrape. */
    static Set<String> missing(Set<String> referenced, Set<String> sampleNames) {
        Set<String> missing = new TreeSet<>(referenced);
        missing.removeAll(sampleNames);
        return missing;
    }

    /** The metric names (starting {@code gen_ai_} or {@code tokengate_}) a PromQL expression selects. */
    static Set<String> metricNames(String promql) {
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(strip(promql));
        while (m.find()) {
            if (m.group().startsWith("gen_ai_") || m.group().startsWith("tokengate_")) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** Identifiers of an expression that are neither PromQL words nor tokengate's metrics (a foreign metric, a typo). */
    static Set<String> unknownIdentifiers(String promql) {
        Set<String> unknown = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(strip(promql));
        while (m.find()) {
            String id = m.group();
            if (!PROMQL_WORDS.contains(id) && !id.startsWith("gen_ai_") && !id.startsWith("tokengate_")) {
                unknown.add(id);
            }
        }
        return unknown;
    }

    /** The expression without strings, label matchers, ranges, grouping label lists and Grafana variables. */
    private static String strip(String promql) {
        String s = STRING.matcher(promql).replaceAll("\"\"");
        s = s.replaceAll("\\{[^}]*}", "{}").replaceAll("\\[[^]]*]", "[]");
        s = GROUPING.matcher(s).replaceAll("$1()");
        return s.replaceAll("\\$\\{?\\w+}?", "");
    }

    /**
     * Label names an expression matches on ({@code metric{label="..."}}) that no sample of that metric carries,
     * and grouping labels ({@code by}, {@code on}, ...) that none of its metrics carries. Metrics absent from the
     * scrape are not judged here (the name check reports them).
     */
    static List<String> labelProblems(String promql, Map<String, Set<String>> samples) {
        List<String> problems = new ArrayList<>();
        Matcher selector = SELECTOR.matcher(promql);
        while (selector.find()) {
            Set<String> labels = samples.get(selector.group(1));
            Matcher matcher = MATCHER.matcher(selector.group(2));
            while (labels != null && matcher.find()) {
                if (!labels.contains(matcher.group(1))) {
                    problems.add(selector.group(1) + " has no label " + matcher.group(1));
                }
            }
        }
        Set<String> names = metricNames(promql);
        if (!samples.keySet().containsAll(names)) {
            return problems;
        }
        Set<String> union = new TreeSet<>(Set.of("le"));
        names.forEach(n -> union.addAll(samples.get(n)));
        Matcher grouping = GROUPING.matcher(STRING.matcher(promql).replaceAll("\"\""));
        while (grouping.find()) {
            for (String label : grouping.group(2).split(",")) {
                if (!label.isBlank() && !union.contains(label.strip())) {
                    problems.add(grouping.group(1) + " (" + label.strip() + "): none of " + names + " has it");
                }
            }
        }
        return problems;
    }

    /** Prometheus text exposition: sample name to the label names seen on its samples. */
    static Map<String, Set<String>> samples(String exposition) {
        Map<String, Set<String>> samples = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            boolean labelled = brace >= 0 && (space < 0 || brace < space);
            String name = line.substring(0, labelled ? brace : space);
            Set<String> labels = samples.computeIfAbsent(name, n -> new TreeSet<>());
            if (labelled) {
                Matcher label = LABEL.matcher(line.substring(brace + 1, line.lastIndexOf('}')));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
        return samples;
    }

    /** Meter names registered in the main code ({@code "tokengate.upstream.retries"}), dots as underscores. */
    static Set<String> registeredMeterNames() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = METER_NAME.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1).replace('.', '_'));
                }
            }
        }
        return names;
    }

    // ---------------------------------------------------------------------------------------------- the files

    /** Every PromQL expression of the dashboard (panel queries, variable queries) and of the rules, by place. */
    static Map<String, String> expressions() throws IOException {
        Map<String, String> expressions = new TreeMap<>();
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                expressions.put("dashboard panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                expressions.put("dashboard variable $" + variable.path("name").asText(),
                        variableExpression(variableQuery(variable)));
            }
        }
        for (Map<String, Object> group : maps(alertFile().get("groups"))) {
            for (Map<String, Object> rule : maps(group.get("rules"))) {
                expressions.put("alert " + rule.get("alert"), String.valueOf(rule.get("expr")));
            }
        }
        return expressions;
    }

    /** Metric name to where it is used. */
    static Map<String, Set<String>> referencedMetrics() throws IOException {
        Map<String, Set<String>> referenced = new TreeMap<>();
        expressions().forEach((where, expr) -> metricNames(expr)
                .forEach(name -> referenced.computeIfAbsent(name, n -> new TreeSet<>()).add(where)));
        return referenced;
    }

    private static String variableQuery(JsonNode variable) {
        JsonNode query = variable.path("query");
        return query.isObject() ? query.path("query").asText() : query.asText();
    }

    /** {@code label_values(expr, label)}: the expression part (the label is no metric). */
    static String variableExpression(String query) {
        Matcher m = LABEL_VALUES.matcher(query);
        return m.matches() ? m.group(1) : query.replaceAll("^\\s*label_values\\(\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$", "");
    }

    /** Panels, those inside collapsed rows included. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items.stream();
    }

    private static Map<String, Object> alertFile() {
        try {
            return new Yaml().load(Files.readString(ALERTS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object list) {
        assertThat(list).isInstanceOf(List.class);
        return (List<Map<String, Object>>) list;
    }

    // ---------------------------------------------------------------------------------------------- traffic

    private static String scrape() {
        HttpResponse<String> response = Gateway.management("/q/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static HttpResponse<String> postAs(String key, String body) {
        return Gateway.send(HttpRequest.newBuilder(URI.create(Gateway.baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static void expect(int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as("%s %s -> %s", response.request().method(), response.request().uri(),
                response.body()).isEqualTo(status);
    }
}
