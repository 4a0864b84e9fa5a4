package io.tokengate.infra;

import static io.tokengate.infra.Manifests.at;
import static io.tokengate.infra.Manifests.list;
import static io.tokengate.infra.Manifests.map;
import static io.tokengate.infra.Manifests.rel;
import static io.tokengate.infra.Manifests.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Kustomization;
import io.fabric8.kubernetes.schema.validator.Validator;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.extensions.SwaggerParserExtension;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.tokengate.infra.Manifests.Build;
import io.tokengate.infra.Manifests.Doc;
import io.tokengate.infra.Manifests.ManifestException;
import io.tokengate.infra.Manifests.PodSpec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validates every YAML file under {@code infra/} offline, the way the API server would:
 * <ul>
 *   <li>Kubernetes objects against the Kubernetes OpenAPI schema (shipped in fabric8's kubernetes-model-validator),
 *       with unknown fields refused, required fields and types checked (scalars read as YAML 1.1, like kubectl);</li>
 *   <li>Knative Services and kustomizations strictly against the typed fabric8 models (a misspelt field fails),
 *       a Knative revision's pod spec against the Kubernetes PodSpec schema, plus the fields Knative refuses and
 *       the autoscaling annotations it knows;</li>
 *   <li>every kustomization built (resources, patches, images) and its output checked again, together with the
 *       references between objects that no schema sees: selectors, ports, volumes, ConfigMaps, ServiceAccounts,
 *       RBAC, autoscaler and disruption-budget targets.</li>
 * </ul>
 * Files under {@code infra/k8s} must all be Kubernetes objects; elsewhere (Prometheus rule files, ...) only the
 * documents with {@code apiVersion} and {@code kind} are checked.
 */
class ManifestSchemaTest {

    // ---------------------------------------------------------------------------------------------------------
    // The files of the repository
    // ---------------------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> everyYamlDocumentUnderInfraIsValid() {
        List<Path> files = Manifests.yamlFiles(Manifests.infra());
        assertThat(files).as("YAML files under infra/").isNotEmpty();
        Set<Path> patches = new java.util.HashSet<>();
        Manifests.kustomizationDirs(Manifests.k8s()).forEach(dir -> patches.addAll(Manifests.build(dir).patches()));
        return files.stream().map(file -> DynamicTest.dynamicTest(rel(file), () -> {
            List<String> problems = new ArrayList<>();
            boolean k8s = file.toAbsolutePath().normalize().startsWith(Manifests.k8s());
            // A strategic merge patch is a partial object: its fields and types are checked, not completeness
            // (the patched result is checked in everyKustomizationBuildsToValidConsistentObjects).
            boolean partial = patches.contains(file.toAbsolutePath().normalize());
            List<Object> raw = Manifests.load(Manifests.read(file), rel(file));
            for (int i = 0; i < raw.size(); i++) {
                if (!(raw.get(i) instanceof Map<?, ?> m)) {
                    if (k8s) {
                        problems.add(rel(file) + "[" + (i + 1) + "]: not a Kubernetes object (not a mapping)");
                    }
                    continue;
                }
                Doc doc = new Doc(file, i, map(m));
                if (Manifests.isKustomization(file)) {
                    problems.addAll(kustomizationProblems(doc));
                } else if (doc.isKubernetesObject() || k8s) {
                    problems.addAll(objectProblems(doc, k8s).stream()
                            .filter(p -> !partial || !p.contains("missing required properties")).toList());
                }
            }
            assertThat(problems).as(rel(file)).isEmpty();
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyKustomizationBuildsToValidConsistentObjects() {
        List<Path> dirs = Manifests.kustomizationDirs(Manifests.k8s());
        assertThat(dirs).as("kustomizations under infra/k8s").isNotEmpty();
        return dirs.stream().map(dir -> DynamicTest.dynamicTest(rel(dir), () -> {
            Build build = Manifests.build(dir);
            assertThat(build.objects()).as(build.where() + " builds objects").isNotEmpty();
            List<String> problems = new ArrayList<>();
            for (Doc d : build.objects()) {
                problems.addAll(objectProblems(d, true).stream().map(p -> build.where() + " -> " + p).toList());
            }
            problems.addAll(buildProblems(build));
            assertThat(problems).as(build.where()).isEmpty();
        }));
    }

    @Test
    void everyManifestUnderK8sIsAppliedByAKustomizationOrDocumentedInAReadme() {
        Set<Path> used = new java.util.HashSet<>();
        for (Path dir : Manifests.kustomizationDirs(Manifests.k8s())) {
            used.addAll(Manifests.build(dir).files());
        }
        List<String> orphans = new ArrayList<>();
        for (Path file : Manifests.yamlFiles(Manifests.k8s())) {
            Path f = file.toAbsolutePath().normalize();
            if (used.contains(f) || Manifests.isKustomization(f) || mentionedInReadme(f)) {
                continue;
            }
            orphans.add(rel(f) + ": applied by no kustomization and named in no README.md beside or above it");
        }
        assertThat(orphans).isEmpty();
    }

    @Test
    void noKustomizationAppliesASecret() {
        for (Path dir : Manifests.kustomizationDirs(Manifests.k8s())) {
            Build build = Manifests.build(dir);
            assertThat(build.objects()).as(build.where() + ": secrets never live in git (see secret.example.yaml)")
                    .noneMatch(d -> "Secret".equals(d.kind()));
        }
    }

    private static boolean mentionedInReadme(Path file) {
        String name = file.getFileName().toString();
        for (Path dir = file.getParent(); dir != null && dir.startsWith(Manifests.k8s()); dir = dir.getParent()) {
            Path readme = dir.resolve("README.md");
            if (Files.isRegularFile(readme) && Manifests.read(readme).contains(name)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Negative self-tests: the checks above do reject broken manifests
    // ---------------------------------------------------------------------------------------------------------

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: demo
            spec:
              replicas: 2
              selector:
                matchLabels: {app: demo}
              template:
                metadata:
                  labels: {app: demo}
                spec:
                  containers:
                    - name: demo
                      image: demo:1
                      ports: [{name: http, containerPort: 8080}]
                      env: [{name: A, value: "1"}]
                      resources: {limits: {cpu: 1, memory: 512Mi, nvidia.com/gpu: 1}}
                      readinessProbe: {httpGet: {path: /q/health/ready, port: http}}
            """;

    private static final String KSVC = """
            apiVersion: serving.knative.dev/v1
            kind: Service
            metadata:
              name: demo
            spec:
              template:
                metadata:
                  annotations:
                    autoscaling.knative.dev/min-scale: "0"
                spec:
                  containerConcurrency: 10
                  containers:
                    - name: demo
                      image: demo:1
                      ports: [{containerPort: 8080}]
                      readinessProbe: {httpGet: {path: /q/health/ready}}
            """;

    private static List<String> problemsOf(String yaml) {
        Doc doc = new Doc(Manifests.k8s().resolve("self-test.yaml"), 0, map(Manifests.load(yaml, "self-test").get(0)));
        return objectProblems(doc, true);
    }

    @Test
    void validManifestsOfTheSelfTestPass() {
        assertThat(problemsOf(DEPLOYMENT)).isEmpty();
        assertThat(problemsOf(KSVC)).isEmpty();
    }

    @Test
    void wrongTypeIsRejected() {
        assertThat(problemsOf(DEPLOYMENT.replace("replicas: 2", "replicas: \"two\"")))
                .anyMatch(p -> p.contains("/spec/replicas") && p.contains("integer"));
        // Kubernetes reads YAML 1.1: an unquoted yes is a boolean, and an env value must be a string.
        assertThat(problemsOf(DEPLOYMENT.replace("value: \"1\"", "value: yes")))
                .anyMatch(p -> p.contains("/env/0/value"));
    }

    @Test
    void unknownFieldIsRejected() {
        assertThat(problemsOf(DEPLOYMENT.replace("replicas: 2", "replica: 2")))
                .anyMatch(p -> p.contains("replica") && p.contains("not allowed"));
    }

    @Test
    void missingRequiredFieldIsRejected() {
        assertThat(problemsOf(DEPLOYMENT.replace("- name: demo\n", "- \n")))
                .anyMatch(p -> p.contains("containers/0") && p.contains("name"));
    }

    @Test
    void unknownKindUnderK8sIsRejected() {
        assertThat(problemsOf(DEPLOYMENT.replace("kind: Deployment", "kind: Deploymnt")))
                .anyMatch(p -> p.contains("no schema"));
    }

    @Test
    void knativeMistakesAreRejected() {
        assertThat(problemsOf(KSVC.replace("containerConcurrency", "containerConcurency")))
                .anyMatch(p -> p.contains("containerConcurency"));
        assertThat(problemsOf(KSVC.replace("min-scale", "min-scael")))
                .anyMatch(p -> p.contains("autoscaling.knative.dev/min-scael"));
        assertThat(problemsOf(KSVC.replace("readinessProbe: {httpGet: {path: /q/health/ready}}",
                "lifecycle: {preStop: {sleep: {seconds: 5}}}"))).anyMatch(p -> p.contains("lifecycle"));
        assertThat(problemsOf(KSVC.replace("image: demo:1", "image: 1"))).anyMatch(p -> p.contains("image"));
    }

    @Test
    void duplicateKeyIsRejected() {
        assertThatThrownBy(() -> Manifests.load("a: 1\na: 2\n", "self-test"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("duplicate");
    }

    @Test
    void kustomizationMistakesAreRejected(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("deployment.yaml"), DEPLOYMENT);
        Files.writeString(dir.resolve("kustomization.yaml"),
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deployment.yaml, missing.yaml]\n");
        assertThatThrownBy(() -> Manifests.build(dir)).hasMessageContaining("'missing.yaml' does not exist");

        Doc misspelt = new Doc(dir.resolve("kustomization.yaml"), 0,
                map(Manifests.load("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresource: [a.yaml]\n", "t").get(0)));
        assertThat(kustomizationProblems(misspelt)).anyMatch(p -> p.contains("resource"));

        Files.writeString(dir.resolve("service.yaml"), """
                apiVersion: v1
                kind: Service
                metadata: {name: demo}
                spec:
                  selector: {app: demo}
                  ports: [{port: 80, targetPort: htp}]
                """);
        Files.writeString(dir.resolve("kustomization.yaml"),
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deployment.yaml, service.yaml]\n");
        assertThat(buildProblems(Manifests.build(dir))).anyMatch(p -> p.contains("targetPort 'htp'"));

        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [deployment.yaml]
                patches:
                  - target: {kind: Deployment, name: demo}
                    patch: |-
                      - op: remove
                        path: /spec/replicas
                  - patch: |-
                      apiVersion: apps/v1
                      kind: Deployment
                      metadata: {name: demo}
                      spec:
                        template:
                          spec:
                            containers:
                              - name: demo
                                image: demo:2
                images:
                  - name: demo
                    newName: registry.example.com/demo
                """);
        Build build = Manifests.build(dir);
        Doc deployment = build.find("Deployment", "demo").orElseThrow();
        assertThat(at(deployment.body(), "spec", "replicas")).isNull();
        Map<String, Object> container = map(list(at(deployment.body(), "spec", "template", "spec", "containers")).get(0));
        assertThat(container.get("image")).isEqualTo("registry.example.com/demo:2");
        assertThat(container.get("ports")).as("strategic merge keeps unpatched fields").isNotNull();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Object checks
    // ---------------------------------------------------------------------------------------------------------

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    /** Everything wrong with one object (empty: valid). {@code strict}: an unknown kind is an error. */
    static List<String> objectProblems(Doc d, boolean strict) {
        List<String> problems = new ArrayList<>();
        String where = d.where();
        if (!d.isKubernetesObject()) {
            problems.add(where + ": not a Kubernetes object (apiVersion and kind are required)");
            return problems;
        }
        problems.addAll(metadataProblems(d));
        Schema<?> schema = OpenApi.schemaFor(d);
        if (schema != null) {
            problems.addAll(OpenApi.validate(d.body(), schema, where));
        } else if (d.isKnativeService()) {
            problems.addAll(Strict.problems(d.body(), io.fabric8.knative.serving.v1.Service.class, where));
            problems.addAll(knativeProblems(d));
        } else if (strict) {
            problems.add(where + ": no schema for " + d.apiVersion() + " " + d.kind()
                    + " (a misspelt kind or apiVersion, or a type these tests do not know yet)");
        }
        return problems;
    }

    private static List<String> metadataProblems(Doc d) {
        List<String> problems = new ArrayList<>();
        String name = d.name();
        boolean label = Set.of("Service", "Namespace").contains(d.kind());
        if (name == null || name.length() > (label ? 63 : 253)
                || !(label ? DNS_LABEL : DNS_SUBDOMAIN).matcher(name).matches()) {
            problems.add(d.where() + ": metadata.name '" + name + "' is not a valid DNS-1123 "
                    + (label ? "label" : "subdomain"));
        }
        List<Map<String, Object>> labelMaps = new ArrayList<>();
        labelMaps.add(map(d.metadata().get("labels")));
        Manifests.podSpecs(d).forEach(p -> labelMaps.add(p.labels()));
        for (Map<String, Object> labels : labelMaps) {
            labels.forEach((k, v) -> {
                if (!(v instanceof String s) || s.length() > 63 || !LABEL_VALUE.matcher(s).matches()) {
                    problems.add(d.where() + ": label " + k + "=" + v + " is not a valid label value");
                }
            });
        }
        return problems;
    }

    /** Kustomization files: the typed model, read strictly. */
    static List<String> kustomizationProblems(Doc d) {
        List<String> problems = new ArrayList<>();
        if (!"kustomize.config.k8s.io/v1beta1".equals(d.apiVersion()) || !"Kustomization".equals(d.kind())) {
            problems.add(d.where() + ": a kustomization must say apiVersion: kustomize.config.k8s.io/v1beta1 and"
                    + " kind: Kustomization");
        }
        problems.addAll(Strict.problems(d.body(), Kustomization.class, d.where()));
        return problems;
    }

    // ---- Knative ----

    /** Pod fields Knative Serving accepts without feature flags, plus the revision's own fields. */
    private static final Set<String> KNATIVE_POD_FIELDS = Set.of("containers", "volumes", "serviceAccountName",
            "imagePullSecrets", "enableServiceLinks", "containerConcurrency", "timeoutSeconds",
            "responseStartTimeoutSeconds", "idleTimeoutSeconds");
    private static final Set<String> KNATIVE_CONTAINER_FIELDS = Set.of("name", "image", "command", "args",
            "workingDir", "ports", "env", "envFrom", "resources", "volumeMounts", "livenessProbe", "readinessProbe",
            "securityContext", "imagePullPolicy", "terminationMessagePath", "terminationMessagePolicy");
    private static final Set<String> KNATIVE_VOLUME_TYPES =
            Set.of("name", "configMap", "secret", "projected", "emptyDir", "persistentVolumeClaim");
    private static final Set<String> KNATIVE_AUTOSCALING_ANNOTATIONS = Set.of("class", "metric", "target",
            "target-utilization-percentage", "target-burst-capacity", "window", "panic-window-percentage",
            "panic-threshold-percentage", "min-scale", "max-scale", "initial-scale", "scale-down-delay",
            "scale-to-zero-pod-retention-period", "activation-scale", "minScale", "maxScale");

    private static List<String> knativeProblems(Doc d) {
        List<String> problems = new ArrayList<>();
        String where = d.where();
        Map<String, Object> template = map(at(d.body(), "spec", "template"));
        Map<String, Object> spec = map(template.get("spec"));
        problems.addAll(OpenApi.validate(template.get("metadata") == null ? Map.of() : template.get("metadata"),
                OpenApi.schema("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), where + " spec.template.metadata"));
        for (String field : spec.keySet()) {
            if (!KNATIVE_POD_FIELDS.contains(field)) {
                problems.add(where + ": spec.template.spec." + field + " is refused by Knative Serving (or needs a"
                        + " feature flag)");
            }
        }
        List<Object> containers = list(spec.get("containers"));
        if (containers.isEmpty()) {
            problems.add(where + ": spec.template.spec.containers is required");
        }
        // The revision's pod spec against the Kubernetes PodSpec schema, with what Knative fills in itself.
        Map<String, Object> pod = Manifests.copyMap(spec);
        List.of("containerConcurrency", "timeoutSeconds", "responseStartTimeoutSeconds", "idleTimeoutSeconds")
                .forEach(pod::remove);
        for (Object c : list(pod.get("containers"))) {
            Map<String, Object> container = map(c);
            container.putIfAbsent("name", "user-container");
            Object port = at(list(container.get("ports")).isEmpty() ? Map.of() : list(container.get("ports")).get(0),
                    "containerPort");
            for (String probe : List.of("readinessProbe", "livenessProbe")) {
                for (String action : List.of("httpGet", "tcpSocket", "grpc")) {
                    Map<String, Object> a = map(at(container, probe, action));
                    if (!a.isEmpty() && !a.containsKey("port")) {
                        a.put("port", port == null ? 8080 : port);
                    }
                }
            }
        }
        problems.addAll(OpenApi.validate(pod, OpenApi.schema("io.k8s.api.core.v1.PodSpec"), where + " spec.template.spec"));
        int ports = 0;
        for (Object c : containers) {
            Map<String, Object> container = map(c);
            for (String field : container.keySet()) {
                if (!KNATIVE_CONTAINER_FIELDS.contains(field)) {
                    problems.add(where + ": container field " + field + " is refused by Knative Serving");
                }
            }
            List<Object> containerPorts = list(container.get("ports"));
            ports += containerPorts.size();
            Object port = containerPorts.isEmpty() ? null : map(containerPorts.get(0)).get("containerPort");
            for (String probe : List.of("readinessProbe", "livenessProbe")) {
                Object probePort = at(container, probe, "httpGet", "port");
                if (probePort != null && !probePort.equals(port)) {
                    problems.add(where + ": " + probe + " port must be omitted or the container port");
                }
            }
        }
        if (ports > 1) {
            problems.add(where + ": Knative routes to exactly one container port, found " + ports);
        }
        for (Object v : list(spec.get("volumes"))) {
            for (String field : map(v).keySet()) {
                if (!KNATIVE_VOLUME_TYPES.contains(field)) {
                    problems.add(where + ": volume type " + field + " is refused by Knative Serving");
                }
            }
        }
        Map<String, Object> annotations = map(at(template, "metadata", "annotations"));
        annotations.forEach((k, v) -> {
            if (k.startsWith("autoscaling.knative.dev/")
                    && !KNATIVE_AUTOSCALING_ANNOTATIONS.contains(k.substring(k.indexOf('/') + 1))) {
                problems.add(where + ": unknown annotation " + k + " (Knative would ignore it)");
            }
        });
        Object min = annotations.get("autoscaling.knative.dev/min-scale");
        Object max = annotations.get("autoscaling.knative.dev/max-scale");
        if (min instanceof String a && max instanceof String b && a.matches("\\d+") && b.matches("\\d+")
                && !b.equals("0") && Integer.parseInt(a) > Integer.parseInt(b)) {
            problems.add(where + ": min-scale " + a + " is above max-scale " + b);
        }
        return problems;
    }

    // ---------------------------------------------------------------------------------------------------------
    // References between the objects of one kustomization build
    // ---------------------------------------------------------------------------------------------------------

    static List<String> buildProblems(Build build) {
        List<String> problems = new ArrayList<>();
        List<Doc> objects = build.objects();
        String b = build.where() + " -> ";
        List<PodSpec> pods = objects.stream().flatMap(d -> Manifests.podSpecs(d).stream()).toList();
        for (Doc d : objects) {
            Map<String, Object> matchLabels = map(at(d.body(), "spec", "selector", "matchLabels"));
            if (Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet").contains(d.kind())) {
                Map<String, Object> labels = Manifests.podSpecs(d).get(0).labels();
                if (matchLabels.isEmpty() || !labels.entrySet().containsAll(matchLabels.entrySet())) {
                    problems.add(b + d.where() + ": spec.selector.matchLabels " + matchLabels
                            + " must be a non-empty subset of the template's labels " + labels);
                }
            }
        }
        for (PodSpec pod : pods) {
            problems.addAll(podProblems(b, pod, objects));
        }
        for (Doc d : objects) {
            String where = b + d.where();
            switch (d.kind()) {
                case "Service" -> {
                    if (d.isKnativeService()) {
                        break;
                    }
                    Map<String, Object> selector = map(at(d.body(), "spec", "selector"));
                    List<PodSpec> selected = selected(pods, d, selector);
                    if (!selector.isEmpty() && selected.isEmpty()) {
                        problems.add(where + ": selector " + selector + " matches no pod template of the build");
                    }
                    for (Object p : list(at(d.body(), "spec", "ports"))) {
                        Object target = map(p).getOrDefault("targetPort", map(p).get("port"));
                        for (PodSpec pod : selected) {
                            if (!hasPort(pod, target)) {
                                problems.add(where + ": targetPort '" + target + "' is no container port of "
                                        + pod.owner().where());
                            }
                        }
                    }
                }
                case "PodDisruptionBudget" -> {
                    Map<String, Object> selector = map(at(d.body(), "spec", "selector", "matchLabels"));
                    if (selector.isEmpty() || selected(pods, d, selector).isEmpty()) {
                        problems.add(where + ": selector " + selector + " matches no pod template of the build");
                    }
                }
                case "HorizontalPodAutoscaler" -> {
                    Map<String, Object> ref = map(at(d.body(), "spec", "scaleTargetRef"));
                    if (find(objects, string(ref.get("kind")), string(ref.get("name")), d.namespace()) == null) {
                        problems.add(where + ": scaleTargetRef " + ref + " is not in the build");
                    }
                }
                case "RoleBinding" -> {
                    Map<String, Object> ref = map(d.body().get("roleRef"));
                    if ("Role".equals(ref.get("kind"))
                            && find(objects, "Role", string(ref.get("name")), d.namespace()) == null) {
                        problems.add(where + ": roleRef " + ref + " is not in the build");
                    }
                }
                case "StatefulSet" -> {
                    Doc service = find(objects, "Service", string(at(d.body(), "spec", "serviceName")), d.namespace());
                    if (service == null || !"None".equals(at(service.body(), "spec", "clusterIP"))) {
                        problems.add(where + ": spec.serviceName must name a headless Service of the build");
                    }
                }
                default -> { }
            }
        }
        return problems;
    }

    private static List<String> podProblems(String b, PodSpec pod, List<Doc> objects) {
        List<String> problems = new ArrayList<>();
        String where = b + pod.owner().where();
        String ns = pod.owner().namespace();
        Set<String> volumes = new java.util.HashSet<>();
        list(at(pod.owner().body(), "spec", "volumeClaimTemplates"))
                .forEach(t -> volumes.add(string(at(t, "metadata", "name"))));
        for (Map<String, Object> v : pod.volumes()) {
            volumes.add(string(v.get("name")));
            Map<String, Object> cm = map(v.get("configMap"));
            if (!cm.isEmpty()) {
                problems.addAll(configMapRef(where, objects, ns, string(cm.get("name")), cm.get("optional"),
                        list(cm.get("items")).stream().map(i -> string(map(i).get("key"))).toList()));
            }
            Map<String, Object> pvc = map(v.get("persistentVolumeClaim"));
            if (!pvc.isEmpty() && find(objects, "PersistentVolumeClaim", string(pvc.get("claimName")), ns) == null) {
                problems.add(where + ": volume " + v.get("name") + " claims " + pvc.get("claimName")
                        + ", which is not in the build");
            }
        }
        String sa = string(pod.spec().get("serviceAccountName"));
        if (sa != null && !sa.equals("default") && find(objects, "ServiceAccount", sa, ns) == null) {
            problems.add(where + ": serviceAccountName " + sa + " is not in the build");
        }
        Set<String> names = new java.util.HashSet<>();
        for (Map<String, Object> c : pod.containers()) {
            String cname = string(c.get("name"));
            if (cname != null && !names.add(cname)) {
                problems.add(where + ": two containers named " + cname);
            }
            for (Object m : list(c.get("volumeMounts"))) {
                if (!volumes.contains(string(map(m).get("name")))) {
                    problems.add(where + ": container " + cname + " mounts volume " + map(m).get("name")
                            + ", which the pod does not declare");
                }
            }
            for (Object e : list(c.get("env"))) {
                Map<String, Object> ref = map(at(e, "valueFrom", "configMapKeyRef"));
                if (!ref.isEmpty()) {
                    problems.addAll(configMapRef(where, objects, ns, string(ref.get("name")), ref.get("optional"),
                            List.of(String.valueOf(ref.get("key")))));
                }
            }
            for (Object e : list(c.get("envFrom"))) {
                Map<String, Object> ref = map(map(e).get("configMapRef"));
                if (!ref.isEmpty()) {
                    problems.addAll(configMapRef(where, objects, ns, string(ref.get("name")), ref.get("optional"),
                            List.of()));
                }
            }
            if (!pod.owner().isKnativeService()) {
                for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                    for (String action : List.of("httpGet", "tcpSocket", "grpc")) {
                        Object port = at(c, probe, action, "port");
                        if (port != null && !hasPort(List.of(c), port)) {
                            problems.add(where + ": " + probe + " port '" + port + "' is no port of container "
                                    + cname);
                        }
                    }
                }
            }
        }
        return problems;
    }

    private static List<String> configMapRef(String where, List<Doc> objects, String ns, String name,
            Object optional, List<String> keys) {
        if (Boolean.TRUE.equals(optional)) {
            return List.of();
        }
        Doc cm = find(objects, "ConfigMap", name, ns);
        if (cm == null) {
            return List.of(where + ": ConfigMap " + name + " is not in the build");
        }
        Map<String, Object> data = map(cm.body().get("data"));
        return keys.stream().filter(k -> !data.containsKey(k))
                .map(k -> where + ": ConfigMap " + name + " has no key " + k).toList();
    }

    private static List<PodSpec> selected(List<PodSpec> pods, Doc selector, Map<String, Object> labels) {
        return pods.stream().filter(p -> !p.owner().isKnativeService())
                .filter(p -> Objects.equals(p.owner().namespace(), selector.namespace()))
                .filter(p -> p.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    private static boolean hasPort(PodSpec pod, Object port) {
        return hasPort(pod.containers(), port);
    }

    private static boolean hasPort(List<Map<String, Object>> containers, Object port) {
        for (Map<String, Object> c : containers) {
            for (Object p : list(c.get("ports"))) {
                Map<String, Object> cp = map(p);
                if (port instanceof String s ? s.equals(cp.get("name")) : Objects.equals(port, cp.get("containerPort"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The object of that kind and name in the namespace (a Knative Service is not a "Service" here). */
    private static Doc find(List<Doc> objects, String kind, String name, String namespace) {
        return objects.stream().filter(d -> Objects.equals(kind, d.kind()) && !d.isKnativeService())
                .filter(d -> Objects.equals(name, d.name()) && Objects.equals(namespace, d.namespace()))
                .findFirst().orElse(null);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The Kubernetes OpenAPI schema
    // ---------------------------------------------------------------------------------------------------------

    /** The Kubernetes (and OpenShift) OpenAPI definitions of fabric8's kubernetes-model-validator, read once. */
    static final class OpenApi {
        private static final OpenAPI API = load();
        private static final SchemaValidator VALIDATOR = new SchemaValidator(API, new MessageResolver());
        private static final ObjectMapper JSON = new ObjectMapper();

        private OpenApi() {
        }

        private static OpenAPI load() {
            try (InputStream in = Validator.class.getResourceAsStream("/openshift-generated.json")) {
                String text = new String(Objects.requireNonNull(in, "openshift-generated.json").readAllBytes(),
                        StandardCharsets.UTF_8);
                for (SwaggerParserExtension parser : OpenAPIV3Parser.getExtensions()) {
                    SwaggerParseResult result = parser.readContents(text, null, new ParseOptions());
                    if (result != null && result.getOpenAPI() != null) {
                        return result.getOpenAPI();
                    }
                }
                throw new IllegalStateException("the Kubernetes OpenAPI schema could not be parsed");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Schema<?> schema(String name) {
            return Objects.requireNonNull(API.getComponents().getSchemas().get(name), name);
        }

        /** {@code apps/v1 Deployment} is {@code io.k8s.api.apps.v1.Deployment}; null when there is none. */
        static Schema<?> schemaFor(Doc d) {
            String group = d.group().isEmpty() ? "core" : d.group().split("\\.")[0];
            if (d.group().contains(".") && !d.group().endsWith(".k8s.io")) {
                return null; // not a Kubernetes API group (Knative, OpenShift, CRDs)
            }
            return API.getComponents().getSchemas().get("io.k8s.api." + group + "." + d.version() + "." + d.kind());
        }

        static List<String> validate(Object body, Schema<?> schema, String where) {
            JsonNode node = JSON.valueToTree(body);
            ValidationReport report = VALIDATOR.validate(() -> node, schema, "root");
            List<String> problems = new ArrayList<>();
            for (ValidationReport.Message m : report.getMessages()) {
                if (m.getLevel() != ValidationReport.Level.ERROR || acceptedByKubernetes(m)) {
                    continue;
                }
                problems.add(where + ": " + m.getMessage());
            }
            return problems;
        }

        /**
         * Quantity and IntOrString are strings in the OpenAPI schema, but the API server also takes plain numbers
         * for them ({@code nvidia.com/gpu: 1}, {@code port: 8080}, {@code minAvailable: 1}).
         */
        private static boolean acceptedByKubernetes(ValidationReport.Message m) {
            String schema = m.getContext().flatMap(ValidationReport.MessageContext::getPointers)
                    .map(ValidationReport.MessageContext.Pointers::getSchema).orElse("");
            return (schema.endsWith("intstr.IntOrString") || schema.endsWith("resource.Quantity"))
                    && (m.getMessage().contains("Instance type (integer)") || m.getMessage().contains("Instance type (number)"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Typed fabric8 models, read strictly
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Reads a document into a fabric8 model class with no leniency: no scalar coercion (a number where a string
     * belongs fails, like in Kubernetes), and every field the model does not know (fabric8 keeps them in
     * {@code additionalProperties}) is reported.
     */
    static final class Strict {
        private static final ObjectMapper MAPPER = strictMapper();

        private Strict() {
        }

        private static ObjectMapper strictMapper() {
            JsonMapper mapper = JsonMapper.builder().disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();
            Map<LogicalType, List<CoercionInputShape>> refused = Map.of(
                    LogicalType.Textual, List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean),
                    LogicalType.Integer, List.of(CoercionInputShape.String, CoercionInputShape.Float, CoercionInputShape.Boolean),
                    LogicalType.Float, List.of(CoercionInputShape.String, CoercionInputShape.Boolean),
                    LogicalType.Boolean, List.of(CoercionInputShape.String, CoercionInputShape.Integer, CoercionInputShape.Float));
            refused.forEach((type, shapes) -> shapes.forEach(
                    shape -> mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail)));
            return mapper;
        }

        static List<String> problems(Map<String, Object> body, Class<?> type, String where) {
            Object typed;
            try {
                typed = MAPPER.convertValue(body, type);
            } catch (IllegalArgumentException e) {
                String message = e.getCause() instanceof JsonMappingException m
                        ? m.getOriginalMessage() + " at " + m.getPathReference() : e.getMessage();
                return List.of(where + ": " + message.replace('\n', ' '));
            }
            List<String> problems = new ArrayList<>();
            unknownFields(typed, "", problems, new IdentityHashMap<>());
            return problems.stream().map(p -> where + ": unknown field " + p).toList();
        }

        private static void unknownFields(Object o, String path, List<String> out, IdentityHashMap<Object, Object> seen) {
            if (o == null || seen.put(o, o) != null) {
                return;
            }
            if (o instanceof Collection<?> c) {
                int i = 0;
                for (Object e : c) {
                    unknownFields(e, path + "[" + i++ + "]", out, seen);
                }
                return;
            }
            if (o instanceof Map<?, ?> m) {
                m.forEach((k, v) -> unknownFields(v, path + "." + k, out, seen));
                return;
            }
            if (!o.getClass().getName().startsWith("io.fabric8.")) {
                return;
            }
            for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    f.setAccessible(true);
                    Object value;
                    try {
                        value = f.get(o);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                    if (f.getName().equals("additionalProperties") && value instanceof Map<?, ?> extra) {
                        extra.keySet().forEach(k -> out.add((path.isEmpty() ? "" : path.substring(1) + ".") + k));
                    } else {
                        unknownFields(value, path + "." + jsonName(f), out, seen);
                    }
                }
            }
        }

        private static String jsonName(Field f) {
            com.fasterxml.jackson.annotation.JsonProperty p = f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            return p != null && !p.value().isEmpty() ? p.value() : f.getName();
        }
    }

}
