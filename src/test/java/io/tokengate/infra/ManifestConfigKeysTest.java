package io.tokengate.infra;

import static io.tokengate.infra.Manifests.at;
import static io.tokengate.infra.Manifests.list;
import static io.tokengate.infra.Manifests.map;
import static io.tokengate.infra.Manifests.rel;
import static io.tokengate.infra.Manifests.string;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import io.tokengate.config.GatewayConfig;
import io.tokengate.config.RouteTableCompiler;
import io.tokengate.infra.Manifests.Build;
import io.tokengate.infra.Manifests.Doc;
import io.tokengate.infra.Manifests.PodSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every configuration key and environment variable that the manifests under {@code infra/k8s} set exists in the
 * gateway: {@code tokengate.*} keys (and {@code TOKENGATE_*} variables) against patterns derived by reflection
 * from {@link GatewayConfig}, {@code quarkus.*} keys (and {@code QUARKUS_*} variables) against the run-time
 * properties of the Quarkus extensions on the class path (their {@code quarkus-config-model.json}, the source of
 * the Quarkus configuration reference). A key that is misspelt, or fixed at build time and so without effect in
 * a manifest, fails here instead of being ignored in production.
 *
 * <p>Each kustomization that deploys the gateway is then checked as a whole: its configuration loads through
 * the {@code GatewayConfig} mapping and compiles into a route table like at start, its secret references point
 * at files the pod mounts, its probes and port match the application, and its shutdown fits the grace period.
 */
class ManifestConfigKeysTest {

    /** The container that runs the gateway, in every workload of the manifests. */
    private static final String GATEWAY_CONTAINER = "tokengate";
    private static final String SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount/";

    // ---------------------------------------------------------------------------------------------------------
    // Key patterns
    // ---------------------------------------------------------------------------------------------------------

    /** A configuration key: its property name and environment variable as patterns, and (Quarkus) its phase. */
    record KeyPattern(String display, Pattern property, Pattern env, String phase) {
        boolean matches(String key, boolean isEnv) {
            return (isEnv ? env : property).matcher(key).matches();
        }
    }

    private sealed interface Segment permits Literal, MapKey, Index {
    }

    private record Literal(String name) implements Segment {
    }

    private record MapKey() implements Segment {
    }

    private record Index() implements Segment {
    }

    private static KeyPattern pattern(List<Segment> segments, String phase) {
        StringBuilder display = new StringBuilder();
        StringBuilder property = new StringBuilder();
        StringBuilder env = new StringBuilder();
        for (Segment s : segments) {
            boolean first = display.isEmpty();
            switch (s) {
                case Literal l -> {
                    display.append(first ? "" : ".").append(l.name());
                    property.append(first ? "" : "\\.").append(Pattern.quote(l.name()));
                    env.append(first ? "" : "_").append(Pattern.quote(envName(l.name())));
                }
                case MapKey k -> {
                    display.append(".<key>");
                    property.append("\\.(?:[^.\"\\[\\]]+|\"[^\"]+\")");
                    env.append("_[A-Z0-9_]+");
                }
                case Index i -> {
                    display.append("[n]");
                    property.append("\\[\\d+\\]");
                    env.append("_\\d+_");
                }
            }
        }
        return new KeyPattern(display.toString(), Pattern.compile(property.toString()), Pattern.compile(env.toString()), phase);
    }

    /** The MicroProfile Config rule: upper case, every character that is not a letter or digit becomes '_'. */
    static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** The keys of {@link GatewayConfig}, by reflection over the mapping interfaces. */
    static List<KeyPattern> tokengateKeys() {
        List<KeyPattern> out = new ArrayList<>();
        mapping(GatewayConfig.class, new ArrayList<>(List.of(new Literal("tokengate"))), out);
        return out;
    }

    private static void mapping(Class<?> type, List<Segment> prefix, List<KeyPattern> out) {
        for (Method m : type.getMethods()) {
            if (m.isDefault() || Modifier.isStatic(m.getModifiers()) || m.getParameterCount() > 0
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            List<Segment> segments = new ArrayList<>(prefix);
            if (!m.isAnnotationPresent(WithParentName.class)) {
                WithName name = m.getAnnotation(WithName.class);
                segments.add(new Literal(name != null ? name.value() : kebab(m.getName())));
            }
            member(m.getGenericReturnType(), segments, out);
        }
    }

    private static void member(Type type, List<Segment> segments, List<KeyPattern> out) {
        Class<?> raw = raw(type);
        if (raw == Optional.class) {
            member(argument(type, 0), segments, out);
        } else if (raw == OptionalInt.class || raw == OptionalLong.class || raw == OptionalDouble.class) {
            out.add(pattern(segments, null));
        } else if (Map.class.isAssignableFrom(raw)) {
            List<Segment> keyed = new ArrayList<>(segments);
            keyed.add(new MapKey());
            member(argument(type, 1), keyed, out);
        } else if (Collection.class.isAssignableFrom(raw)) {
            List<Segment> indexed = new ArrayList<>(segments);
            indexed.add(new Index());
            if (isGroup(raw(argument(type, 0)))) {
                member(argument(type, 0), indexed, out);
            } else {
                out.add(pattern(segments, null)); // a comma-separated value
                out.add(pattern(indexed, null)); // or one element at a time
            }
        } else if (isGroup(raw)) {
            mapping(raw, segments, out);
        } else {
            out.add(pattern(segments, null));
        }
    }

    private static boolean isGroup(Class<?> c) {
        return c.isInterface() && !c.getName().startsWith("java.");
    }

    private static Class<?> raw(Type t) {
        return t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) t;
    }

    private static Type argument(Type t, int i) {
        return ((ParameterizedType) t).getActualTypeArguments()[i];
    }

    /** SmallRye's default naming: {@code redisUrl} is {@code redis-url}. */
    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static List<KeyPattern> quarkusKeys;

    /** Every property of the Quarkus config model on the class path, with its phase. */
    static synchronized List<KeyPattern> quarkusKeys() {
        if (quarkusKeys != null) {
            return quarkusKeys;
        }
        List<KeyPattern> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try {
            Enumeration<URL> models = Thread.currentThread().getContextClassLoader()
                    .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json");
            while (models.hasMoreElements()) {
                try (InputStream in = models.nextElement().openStream()) {
                    for (JsonNode root : json.readTree(in).path("configRoots")) {
                        quarkusItems(root.path("items"), out);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        quarkusKeys = List.copyOf(out);
        return quarkusKeys;
    }

    private static void quarkusItems(JsonNode items, List<KeyPattern> out) {
        for (JsonNode item : items) {
            quarkusItems(item.path("items"), out);
            String property = item.path("path").path("property").asText(null);
            String phase = item.path("phase").asText(null);
            if (property == null || phase == null) {
                continue; // a section
            }
            List<Segment> segments = new ArrayList<>();
            for (String part : property.split("\\.(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
                if (part.startsWith("\"")) {
                    segments.add(new MapKey());
                } else if (part.endsWith("[*]")) {
                    segments.add(new Literal(part.substring(0, part.length() - 3)));
                    segments.add(new Index());
                } else {
                    segments.add(new Literal(part));
                }
            }
            out.add(pattern(segments, phase));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // What the manifests set
    // ---------------------------------------------------------------------------------------------------------

    /** One key or variable set by a manifest. */
    record Setting(String where, String key, boolean env) {
    }

    static List<Setting> settings() {
        List<Setting> out = new ArrayList<>();
        for (Path file : Manifests.yamlFiles(Manifests.k8s())) {
            if (Manifests.isKustomization(file)) {
                continue;
            }
            for (Doc d : Manifests.docs(file)) {
                out.addAll(settings(d));
            }
        }
        for (Path file : Manifests.files(Manifests.k8s(), p -> p.toString().endsWith(".properties"))) {
            properties(Manifests.read(file)).keySet().forEach(k -> out.add(new Setting(rel(file), k, false)));
        }
        return out;
    }

    /** The settings of one document: container env entries and ConfigMap data (property files or variables). */
    static List<Setting> settings(Doc d) {
        List<Setting> out = new ArrayList<>();
        envEntries(d.body(), e -> {
            String name = string(e.get("name"));
            if (name != null && isConfigName(name, true)) {
                out.add(new Setting(d.where() + " env", name, true));
            }
        });
        if ("ConfigMap".equals(d.kind())) {
            map(d.body().get("data")).forEach((k, v) -> {
                if (k.endsWith(".properties") && v instanceof String text) {
                    properties(text).keySet().forEach(p -> out.add(new Setting(d.where() + " " + k, p, false)));
                } else if (isConfigName(k, true)) {
                    out.add(new Setting(d.where() + " data", k, true));
                } else if (isConfigName(k, false)) {
                    out.add(new Setting(d.where() + " data", k, false));
                }
            });
        }
        return out;
    }

    private static boolean isConfigName(String name, boolean env) {
        String n = stripProfile(name, env);
        return env ? n.startsWith("TOKENGATE_") || n.startsWith("QUARKUS_")
                : n.startsWith("tokengate.") || n.startsWith("quarkus.");
    }

    /** {@code %prod.tokengate.x} is {@code tokengate.x}; {@code _PROD_TOKENGATE_X} is {@code TOKENGATE_X}. */
    private static String stripProfile(String name, boolean env) {
        if (!env && name.startsWith("%") && name.contains(".")) {
            return name.substring(name.indexOf('.') + 1);
        }
        if (env && name.startsWith("_") && name.indexOf('_', 1) > 0) {
            return name.substring(name.indexOf('_', 1) + 1);
        }
        return name;
    }

    private static void envEntries(Object node, java.util.function.Consumer<Map<String, Object>> visitor) {
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (Stream.of("containers", "initContainers").anyMatch(e.getKey()::equals)) {
                    for (Object c : list(e.getValue())) {
                        list(map(c).get("env")).forEach(entry -> visitor.accept(map(entry)));
                    }
                }
                envEntries(e.getValue(), visitor);
            }
        } else if (node instanceof List<?> l) {
            l.forEach(v -> envEntries(v, visitor));
        }
    }

    static Map<String, String> properties(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    /** Why a key or variable is not valid, or empty. */
    static Optional<String> problem(String name, boolean env) {
        String key = stripProfile(name, env);
        if (env ? key.startsWith("TOKENGATE_") : key.startsWith("tokengate.")) {
            return tokengateKeys().stream().anyMatch(p -> p.matches(key, env)) ? Optional.empty()
                    : Optional.of("is not a key of io.tokengate.config.GatewayConfig");
        }
        List<KeyPattern> known = quarkusKeys().stream().filter(p -> p.matches(key, env)).toList();
        if (known.isEmpty()) {
            return Optional.of("is not a configuration property of the Quarkus extensions of this application");
        }
        if (known.stream().noneMatch(p -> "RUN_TIME".equals(p.phase()))) {
            return Optional.of("is fixed at build time (" + known.get(0).phase() + "): setting it at run time has no"
                    + " effect; set it in src/main/resources/application.properties");
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Tests
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void everyKeyAndVariableTheManifestsSetExists() {
        List<Setting> settings = settings();
        assertThat(settings).as("the manifests configure the gateway").isNotEmpty();
        List<String> problems = settings.stream()
                .flatMap(s -> problem(s.key(), s.env()).map(p -> s.where() + ": " + s.key() + " " + p).stream())
                .toList();
        assertThat(problems).isEmpty();
    }

    @Test
    void keyPatternsComeFromTheConfigInterfaces() {
        List<String> keys = tokengateKeys().stream().map(KeyPattern::display).toList();
        assertThat(keys).contains("tokengate.storage.redis-url", "tokengate.models.<key>.pools",
                "tokengate.pools.<key>.endpoints[n].url", "tokengate.access-log.enabled",
                "tokengate.limits.tenant-defaults.requests-per-minute");
        assertThat(quarkusKeys()).as("the Quarkus config model is on the class path").hasSizeGreaterThan(100);
        assertThat(problem("tokengate.pools.vllm.endpoints[0].url", false)).isEmpty();
        assertThat(problem("tokengate.models.\"llama-3.1\".pools", false)).isEmpty();
        assertThat(problem("%prod.tokengate.storage.kind", false)).isEmpty();
        assertThat(problem("TOKENGATE_STORAGE_REDIS_URL", true)).isEmpty();
        assertThat(problem("TOKENGATE_POOLS_VLLM_ENDPOINTS_0__URL", true)).isEmpty();
        assertThat(problem("QUARKUS_CONFIG_LOCATIONS", true)).isEmpty();
        assertThat(problem("quarkus.log.category.\"io.tokengate\".level", false)).isEmpty();
    }

    @Test
    void madeUpKeysAreRejected() {
        assertThat(problem("tokengate.pools.vllm.balancr", false)).isPresent();
        assertThat(problem("tokengate.storage.redis-uri", false)).isPresent();
        assertThat(problem("tokengate.pools.vllm.endpoints.url", false)).isPresent();
        assertThat(problem("TOKENGATE_STORAGE_REDIS_URI", true)).isPresent();
        assertThat(problem("quarkus.http.portt", false)).isPresent();
        assertThat(problem("QUARKUS_SHUTDOWN_TIMEOUTT", true)).isPresent();
        // Exists, but only at build time: a manifest cannot change it.
        assertThat(problem("quarkus.log.category.\"io.tokengate\".min-level", false))
                .hasValueSatisfying(p -> assertThat(p).contains("build time"));
    }

    @Test
    void madeUpKeysInAManifestAreFound() {
        Doc configMap = new Doc(Manifests.k8s().resolve("self-test.yaml"), 0, map(Manifests.load("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: demo}
                data:
                  application.properties: |
                    tokengate.storage.kind=redis
                    tokengate.pools.vllm.wake.tokn-ref=file:/x
                  TOKENGATE_SIMULATOR_ENABLED: "false"
                """, "self-test").get(0)));
        List<Setting> settings = settings(configMap);
        assertThat(settings).extracting(Setting::key).containsExactlyInAnyOrder("tokengate.storage.kind",
                "tokengate.pools.vllm.wake.tokn-ref", "TOKENGATE_SIMULATOR_ENABLED");
        assertThat(settings).filteredOn(s -> problem(s.key(), s.env()).isPresent()).extracting(Setting::key)
                .containsExactly("tokengate.pools.vllm.wake.tokn-ref");
    }

    @TestFactory
    Stream<DynamicTest> everyGatewayDeploymentIsConsistentWithTheApplication() {
        List<Build> builds = Manifests.kustomizationDirs(Manifests.k8s()).stream().map(Manifests::build)
                .filter(b -> b.objects().stream().anyMatch(d -> gatewayPod(d).isPresent())).toList();
        assertThat(builds).as("kustomizations that deploy the gateway").isNotEmpty();
        return builds.stream().map(build -> DynamicTest.dynamicTest(build.where(), () -> {
            for (Doc d : build.objects()) {
                Optional<PodSpec> pod = gatewayPod(d);
                if (pod.isPresent()) {
                    assertThat(gatewayProblems(build, pod.get())).as(build.where() + " " + d.where()).isEmpty();
                }
            }
        }));
    }

    @Test
    void aBrokenGatewayConfigurationIsFound() {
        Build base = Manifests.build(Manifests.k8s().resolve("base"));
        PodSpec pod = base.objects().stream().flatMap(d -> gatewayPod(d).stream()).findFirst().orElseThrow();
        assertThat(gatewayProblems(base, pod)).isEmpty();

        Doc configMap = base.find("ConfigMap", "tokengate-config").orElseThrow();
        Map<String, Object> data = map(configMap.body().get("data"));
        String good = (String) data.get("application.properties");
        try {
            data.put("application.properties", good + "\ntokengate.models.m.pools=missing\n");
            assertThat(gatewayProblems(base, pod)).anyMatch(p -> p.contains("unknown pool 'missing'"));
            data.put("application.properties", good + "\ntokengate.pools.p.endpoints[0].url=http://x\n"
                    + "tokengate.pools.p.timeouts.idle=soon\n");
            assertThat(gatewayProblems(base, pod)).anyMatch(p -> p.contains("timeouts.idle"));
            data.put("application.properties", good.replace("file:/var/run/secrets/tokengate/key-pepper",
                    "file:/var/run/secrets/elsewhere/key-pepper"));
            assertThat(gatewayProblems(base, pod)).anyMatch(p -> p.contains("/var/run/secrets/elsewhere/key-pepper"));
            // The base mounts no ServiceAccount token: a wake action that needs one must be found out.
            data.put("application.properties", good + "\ntokengate.pools.p.endpoints[0].url=http://x\n"
                    + "tokengate.pools.p.wake.url=https://kubernetes.default.svc/apis/apps/v1/namespaces/gpu/deployments/x/scale\n"
                    + "tokengate.pools.p.wake.token-ref=file:" + SA_DIR + "token\n");
            assertThat(gatewayProblems(base, pod)).anyMatch(p -> p.contains("wake.token-ref"));
            data.put("application.properties", good.replace("quarkus.shutdown.timeout=30s", "quarkus.shutdown.timeout=60s"));
            assertThat(gatewayProblems(base, pod)).anyMatch(p -> p.contains("terminationGracePeriodSeconds"));
        } finally {
            data.put("application.properties", good);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The gateway deployed
    // ---------------------------------------------------------------------------------------------------------

    private static Optional<PodSpec> gatewayPod(Doc d) {
        return Manifests.podSpecs(d).stream()
                .filter(p -> p.containers().stream().anyMatch(c -> GATEWAY_CONTAINER.equals(c.get("name"))))
                .findFirst();
    }

    private static Map<String, Object> gatewayContainer(PodSpec pod) {
        return pod.containers().stream().filter(c -> GATEWAY_CONTAINER.equals(c.get("name"))).findFirst().orElseThrow();
    }

    /** Everything inconsistent between one deployed gateway and the application. */
    static List<String> gatewayProblems(Build build, PodSpec pod) {
        List<String> problems = new ArrayList<>();
        String where = build.where() + " " + pod.owner().where();
        Map<String, Object> container = gatewayContainer(pod);

        // The environment the container gets: literal values, ConfigMap values, placeholders for secrets.
        Map<String, String> env = new LinkedHashMap<>();
        for (Object o : list(container.get("env"))) {
            Map<String, Object> e = map(o);
            String name = string(e.get("name"));
            if (e.get("value") != null) {
                env.put(name, String.valueOf(e.get("value")));
            } else if (at(e, "valueFrom", "secretKeyRef") != null) {
                env.put(name, name.endsWith("REDIS_URL") ? "redis://secret-placeholder:6379" : "secret-placeholder");
            } else if (at(e, "valueFrom", "configMapKeyRef") instanceof Map<?, ?> ref) {
                build.find("ConfigMap", string(ref.get("name"))).map(cm -> map(cm.body().get("data")).get(ref.get("key")))
                        .ifPresent(v -> env.put(name, String.valueOf(v)));
            }
        }

        // The configuration files it reads: QUARKUS_CONFIG_LOCATIONS, each mounted from a ConfigMap of the build.
        List<PropertiesConfigSource> files = new ArrayList<>();
        String locations = env.get("QUARKUS_CONFIG_LOCATIONS");
        if (locations == null) {
            problems.add(where + ": QUARKUS_CONFIG_LOCATIONS is not set: the mounted configuration would be ignored");
        } else {
            int ordinal = 260;
            for (String location : locations.split(",")) {
                Optional<String> text = mountedFile(build, pod, container, location.strip(), problems, where);
                if (text.isPresent()) {
                    files.add(new PropertiesConfigSource(properties(text.get()), location, ordinal++));
                }
            }
        }

        SmallRyeConfig config;
        try {
            SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().addDefaultInterceptors().withProfile("prod")
                    .withMapping(GatewayConfig.class).withValidateUnknown(true)
                    .withConverter(Duration.class, 200, new DurationConverter())
                    .withSources(new PropertiesConfigSource(properties(Manifests.read(
                            Manifests.repoRoot().resolve("src/main/resources/application.properties"))),
                            "application.properties", 250))
                    .withSources(new EnvConfigSource(env, 300));
            files.forEach(builder::withSources);
            config = builder.build();
            new RouteTableCompiler(env::get).compile(config.getConfigMapping(GatewayConfig.class));
        } catch (RuntimeException e) {
            problems.add(where + ": the configuration does not load: " + rootMessage(e));
            return problems;
        }

        // Secret references and other files the configuration names must exist inside the pod.
        for (String key : config.getPropertyNames()) {
            if (!key.startsWith("tokengate.") || !(key.endsWith("-ref") || key.endsWith(".ca-file"))) {
                continue;
            }
            String value = config.getConfigValue(key).getValue();
            if (value == null) {
                continue;
            }
            if (value.startsWith("env:")) {
                if (!env.containsKey(value.substring(4))) {
                    problems.add(where + ": " + key + "=" + value + ", but the container has no such variable");
                }
            } else {
                String path = value.startsWith("file:") ? value.substring(5) : value;
                if (!mountedInPod(build, pod, container, path)) {
                    problems.add(where + ": " + key + "=" + value + ", but nothing is mounted at " + path);
                }
            }
        }

        // Port and probes: what the application serves.
        int port = config.getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
        List<Object> ports = list(container.get("ports"));
        if (ports.stream().noneMatch(p -> Integer.valueOf(port).equals(map(p).get("containerPort")))) {
            problems.add(where + ": no container port " + port + " (quarkus.http.port)");
        }
        // Health is on the management interface only (quarkus.management.port): a probe GETs it there. Knative
        // probes only the serving port, where /q/health answers 404: there a probe must not GET a /q path.
        int management = config.getOptionalValue("quarkus.management.port", Integer.class).orElse(9000);
        Map<String, String> probes = Map.of("startupProbe", "/q/health/started", "readinessProbe", "/q/health/ready",
                "livenessProbe", "/q/health/live");
        if (pod.owner().isKnativeService()) {
            probes.keySet().forEach(probe -> {
                Object actual = at(container, probe, "httpGet", "path");
                if (actual != null) {
                    problems.add(where + ": " + probe + " GETs " + actual + " on the serving port, where the"
                            + " management routes are not served (use tcpSocket)");
                }
            });
        } else {
            String portName = ports.stream().map(Manifests::map)
                    .filter(p -> Integer.valueOf(management).equals(p.get("containerPort")))
                    .map(p -> (String) p.get("name")).findFirst().orElse(null);
            if (portName == null) {
                problems.add(where + ": no container port " + management + " (quarkus.management.port)");
            }
            probes.forEach((probe, path) -> {
                Object actual = at(container, probe, "httpGet", "path");
                Object probePort = at(container, probe, "httpGet", "port");
                if (!path.equals(actual)) {
                    problems.add(where + ": " + probe + " must GET " + path + " (SmallRye Health), not " + actual);
                } else if (!(Integer.valueOf(management).equals(probePort) || (portName != null
                        && portName.equals(probePort)))) {
                    problems.add(where + ": " + probe + " must GET " + path + " on the management port "
                            + management + ", not on " + probePort);
                }
            });
            Object scrapePort = at(pod.owner().body(), "spec", "template", "metadata", "annotations", "prometheus.io/port");
            if (scrapePort != null && !String.valueOf(management).equals(scrapePort)) {
                problems.add(where + ": prometheus.io/port is " + scrapePort + ", but /q/metrics is on the management"
                        + " port " + management);
            }
        }

        // Graceful shutdown: preStop sleep + quarkus.shutdown.timeout + margin within the grace period.
        if (!pod.owner().isKnativeService()) {
            Duration shutdown = config.getOptionalValue("quarkus.shutdown.timeout", String.class)
                    .map(DurationConverter::parseDuration).orElse(Duration.ZERO);
            Object sleep = at(container, "lifecycle", "preStop", "sleep", "seconds");
            long preStop = sleep instanceof Number n ? n.longValue() : 0;
            Object grace = pod.spec().get("terminationGracePeriodSeconds");
            long graceSeconds = grace instanceof Number n ? n.longValue() : 30;
            if (preStop + shutdown.toSeconds() + 5 > graceSeconds) {
                problems.add(where + ": preStop sleep " + preStop + "s + quarkus.shutdown.timeout " + shutdown.toSeconds()
                        + "s + 5s margin exceed terminationGracePeriodSeconds " + graceSeconds);
            }
        }
        return problems;
    }

    /** The text of the ConfigMap key mounted at {@code path} in the container. */
    private static Optional<String> mountedFile(Build build, PodSpec pod, Map<String, Object> container, String path,
            List<String> problems, String where) {
        for (Object m : list(container.get("volumeMounts"))) {
            String mountPath = stripSlash(string(map(m).get("mountPath")));
            if (!path.startsWith(mountPath + "/")) {
                continue;
            }
            String relative = path.substring(mountPath.length() + 1);
            Map<String, Object> volume = pod.volumes().stream().filter(v -> v.get("name").equals(map(m).get("name")))
                    .findFirst().orElse(Map.of());
            Map<String, Object> source = map(volume.get("configMap"));
            if (source.isEmpty()) {
                problems.add(where + ": " + path + " is not mounted from a ConfigMap");
                return Optional.empty();
            }
            String key = itemKey(source, relative);
            Optional<Object> text = build.find("ConfigMap", string(source.get("name")))
                    .map(cm -> map(cm.body().get("data")).get(key));
            if (text.isEmpty() || !(text.get() instanceof String s)) {
                problems.add(where + ": ConfigMap " + source.get("name") + " has no key " + key + " for " + path);
                return Optional.empty();
            }
            return Optional.of(s);
        }
        problems.add(where + ": nothing is mounted at " + path + " (QUARKUS_CONFIG_LOCATIONS)");
        return Optional.empty();
    }

    /** The ConfigMap/Secret key behind a file of a volume: its items mapping, else the file name itself. */
    private static String itemKey(Map<String, Object> source, String relative) {
        List<Object> items = list(source.get("items"));
        if (items.isEmpty()) {
            return relative;
        }
        return items.stream().map(Manifests::map).filter(i -> relative.equals(i.get("path")))
                .map(i -> string(i.get("key"))).findFirst().orElse(null);
    }

    /** A file at {@code path} exists in the container: a key of a mounted Secret/ConfigMap, or the SA token. */
    private static boolean mountedInPod(Build build, PodSpec pod, Map<String, Object> container, String path) {
        if (path.startsWith(SA_DIR)) {
            // The pod's setting wins; without one, the ServiceAccount's (absent there too: mounted).
            Object automount = pod.spec().get("automountServiceAccountToken");
            if (automount == null) {
                automount = build.find("ServiceAccount", string(pod.spec().get("serviceAccountName")))
                        .map(sa -> sa.body().get("automountServiceAccountToken")).orElse(null);
            }
            return !Boolean.FALSE.equals(automount)
                    && List.of("token", "ca.crt", "namespace").contains(path.substring(SA_DIR.length()));
        }
        for (Object m : list(container.get("volumeMounts"))) {
            String mountPath = stripSlash(string(map(m).get("mountPath")));
            if (!path.startsWith(mountPath + "/")) {
                continue;
            }
            String relative = path.substring(mountPath.length() + 1);
            Map<String, Object> volume = pod.volumes().stream().filter(v -> v.get("name").equals(map(m).get("name")))
                    .findFirst().orElse(Map.of());
            for (String type : List.of("secret", "configMap")) {
                Map<String, Object> source = map(volume.get(type));
                if (!source.isEmpty()) {
                    return itemKey(source, relative) != null;
                }
            }
        }
        return false;
    }

    private static String stripSlash(String s) {
        return s != null && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String rootMessage(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                messages.add(t.getMessage());
            }
        }
        return messages.stream().distinct().collect(Collectors.joining(" / ")).replace('\n', ' ');
    }
}
