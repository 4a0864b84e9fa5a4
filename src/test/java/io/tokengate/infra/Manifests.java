package io.tokengate.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment manifests under {@code infra/} as the manifest tests see them: every YAML file read the way
 * Kubernetes reads it, and every kustomization built like {@code kubectl kustomize} would for the part of
 * kustomize that the manifests use (resources, patches, images, namespace). Anything else in a kustomization is
 * refused rather than silently ignored, so that the tests never check something other than what gets applied.
 */
final class Manifests {
    private Manifests() {
    }

    /** Thrown for a manifest that cannot be read or built; the message names the file. */
    static final class ManifestException extends RuntimeException {
        ManifestException(String message) {
            super(message);
        }
    }

    /** One YAML document that is a mapping. */
    record Doc(Path file, int index, Map<String, Object> body) {
        String apiVersion() {
            return string(body.get("apiVersion"));
        }

        String kind() {
            return string(body.get("kind"));
        }

        String group() {
            String v = apiVersion();
            return v != null && v.contains("/") ? v.substring(0, v.indexOf('/')) : "";
        }

        String version() {
            String v = apiVersion();
            return v == null ? null : v.substring(v.indexOf('/') + 1);
        }

        Map<String, Object> metadata() {
            return map(body.get("metadata"));
        }

        String name() {
            return string(metadata().get("name"));
        }

        String namespace() {
            return string(metadata().get("namespace"));
        }

        boolean isKubernetesObject() {
            return apiVersion() != null && kind() != null;
        }

        boolean isKnativeService() {
            return "serving.knative.dev".equals(group()) && "Service".equals(kind());
        }

        /** {@code infra/k8s/base/deployment.yaml[1] Deployment/tokengate}. */
        String where() {
            return rel(file) + "[" + (index + 1) + "]" + (isKubernetesObject() ? " " + kind() + "/" + name() : "");
        }

        Doc withBody(Map<String, Object> newBody) {
            return new Doc(file, index, newBody);
        }
    }

    /** A kustomization built: the objects it produces (patched), every file it read, and its patch files. */
    record Build(Path dir, List<Doc> objects, Set<Path> files, Set<Path> patches) {
        String where() {
            return rel(dir);
        }

        Optional<Doc> find(String kind, String name) {
            return objects.stream().filter(d -> kind.equals(d.kind()) && Objects.equals(name, d.name())).findFirst();
        }
    }

    // ---- files ----

    static Path repoRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("infra"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (pom.xml beside infra/) at or above " + start);
    }

    static Path infra() {
        return repoRoot().resolve("infra");
    }

    static Path k8s() {
        return infra().resolve("k8s");
    }

    static String rel(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path root = repoRoot();
        return (abs.startsWith(root) ? root.relativize(abs) : abs).toString().replace('\\', '/');
    }

    static boolean isYaml(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    static boolean isKustomization(Path p) {
        String n = p.getFileName().toString();
        return n.equals("kustomization.yaml") || n.equals("kustomization.yml") || n.equals("Kustomization");
    }

    static List<Path> files(Path dir, java.util.function.Predicate<Path> filter) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(filter).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> yamlFiles(Path dir) {
        return files(dir, p -> isYaml(p) || isKustomization(p));
    }

    /** Directories under {@code dir} that hold a kustomization. */
    static List<Path> kustomizationDirs(Path dir) {
        return files(dir, Manifests::isKustomization).stream().map(Path::getParent).distinct().toList();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- YAML ----

    /**
     * Every document of a YAML stream, read with YAML 1.1 scalars like Kubernetes (sigs.k8s.io/yaml): unquoted
     * yes/no/on/off are booleans and 0440 is octal, so a value that Kubernetes would take as a boolean or a number
     * is one here too. Duplicate keys are refused (kubectl refuses them). Empty documents are dropped.
     */
    static List<Object> load(String text, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        List<Object> out = new ArrayList<>();
        try {
            for (Object doc : yaml.loadAll(text)) {
                if (doc != null) {
                    out.add(doc);
                }
            }
        } catch (RuntimeException e) {
            throw new ManifestException(source + ": not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        return out;
    }

    /** The documents of a file; every document must be a mapping. */
    static List<Doc> docs(Path file) {
        List<Object> raw = load(read(file), rel(file));
        List<Doc> docs = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            if (!(raw.get(i) instanceof Map<?, ?> m)) {
                throw new ManifestException(rel(file) + "[" + (i + 1) + "]: a document must be a mapping, not "
                        + raw.get(i).getClass().getSimpleName());
            }
            docs.add(new Doc(file, i, castMap(m)));
        }
        return docs;
    }

    // ---- generic tree helpers ----

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? castMap(m) : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static String string(Object o) {
        return o instanceof String s ? s : null;
    }

    /** The value at a path of keys, or null. */
    static Object at(Object root, String... path) {
        Object o = root;
        for (String key : path) {
            if (!(o instanceof Map<?, ?> m)) {
                return null;
            }
            o = m.get(key);
        }
        return o;
    }

    /** A deep, mutable copy of a YAML tree. */
    static Object copy(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            m.forEach((k, v) -> c.put(String.valueOf(k), copy(v)));
            return c;
        }
        if (o instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            l.forEach(v -> c.add(copy(v)));
            return c;
        }
        return o;
    }

    static Map<String, Object> copyMap(Map<String, Object> m) {
        return castMap((Map<?, ?>) copy(m));
    }

    /** A container of a pod template, with the labels of the pods it runs in. */
    record PodSpec(Doc owner, Map<String, Object> spec, Map<String, Object> labels) {
        List<Map<String, Object>> containers() {
            List<Map<String, Object>> all = new ArrayList<>();
            for (String field : List.of("initContainers", "containers")) {
                list(spec.get(field)).forEach(c -> all.add(map(c)));
            }
            return all;
        }

        List<Map<String, Object>> volumes() {
            return list(spec.get("volumes")).stream().map(Manifests::map).toList();
        }
    }

    /** The pod templates of a workload (Deployment, StatefulSet, Job, Pod, Knative Service, ...). */
    static List<PodSpec> podSpecs(Doc d) {
        String kind = d.kind();
        if (kind == null) {
            return List.of();
        }
        Map<String, Object> template = switch (kind) {
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController" ->
                    map(at(d.body(), "spec", "template"));
            case "CronJob" -> map(at(d.body(), "spec", "jobTemplate", "spec", "template"));
            case "Pod" -> d.body();
            case "Service" -> d.isKnativeService() ? map(at(d.body(), "spec", "template")) : Map.of();
            default -> Map.of();
        };
        if (template.isEmpty()) {
            return List.of();
        }
        return List.of(new PodSpec(d, map(template.get("spec")), map(at(template, "metadata", "labels"))));
    }

    // ---- kustomize ----

    private static final Set<String> SIMULATED =
            Set.of("apiVersion", "kind", "metadata", "resources", "patches", "images", "namespace");

    static Path kustomizationFile(Path dir) {
        for (String n : List.of("kustomization.yaml", "kustomization.yml", "Kustomization")) {
            if (Files.isRegularFile(dir.resolve(n))) {
                return dir.resolve(n);
            }
        }
        throw new ManifestException(rel(dir) + ": no kustomization.yaml");
    }

    static Build build(Path dir) {
        return build(dir.toAbsolutePath().normalize(), new ArrayDeque<>());
    }

    private static Build build(Path dir, Deque<Path> stack) {
        if (stack.contains(dir)) {
            throw new ManifestException(rel(dir) + ": kustomization cycle through " + stack);
        }
        stack.push(dir);
        try {
            Path kfile = kustomizationFile(dir);
            List<Doc> kdocs = docs(kfile);
            if (kdocs.size() != 1) {
                throw new ManifestException(rel(kfile) + ": a kustomization is one document");
            }
            Map<String, Object> k = kdocs.get(0).body();
            for (String field : k.keySet()) {
                if (!SIMULATED.contains(field)) {
                    throw new ManifestException(rel(kfile) + ": field '" + field + "' is not simulated by the manifest"
                            + " tests (io.tokengate.infra.Manifests.build); extend the simulation before using it");
                }
            }
            List<Doc> objects = new ArrayList<>();
            Set<Path> files = new LinkedHashSet<>();
            Set<Path> patches = new LinkedHashSet<>();
            files.add(kfile);
            for (Object entry : list(k.get("resources"))) {
                String r = string(entry);
                if (r == null || r.contains("://") || r.startsWith("github.com/") || r.startsWith("git@")) {
                    throw new ManifestException(rel(kfile) + ": resources entry '" + entry
                            + "' must be a local file or directory (builds must work offline)");
                }
                Path p = dir.resolve(r).normalize();
                if (Files.isDirectory(p)) {
                    Build sub = build(p, stack);
                    sub.objects().forEach(d -> objects.add(d.withBody(copyMap(d.body()))));
                    files.addAll(sub.files());
                    patches.addAll(sub.patches());
                } else if (Files.isRegularFile(p)) {
                    requireWithin(dir, p, kfile, "resources");
                    docs(p).forEach(d -> objects.add(d.withBody(copyMap(d.body()))));
                    files.add(p);
                } else {
                    throw new ManifestException(rel(kfile) + ": resources entry '" + r + "' does not exist");
                }
            }
            for (Object entry : list(k.get("patches"))) {
                applyPatch(dir, kfile, map(entry), objects, files, patches);
            }
            for (Object entry : list(k.get("images"))) {
                setImage(map(entry), objects);
            }
            if (k.get("namespace") instanceof String ns) {
                objects.replaceAll(d -> {
                    Map<String, Object> body = copyMap(d.body());
                    if (!CLUSTER_SCOPED.contains(d.kind())) {
                        map(body.get("metadata")).put("namespace", ns);
                    }
                    return d.withBody(body);
                });
            }
            Set<String> ids = new LinkedHashSet<>();
            for (Doc d : objects) {
                String id = d.group() + "/" + d.kind() + "/" + d.namespace() + "/" + d.name();
                if (!ids.add(id)) {
                    throw new ManifestException(rel(kfile) + ": two objects " + d.kind() + "/" + d.name()
                            + " (kustomize refuses duplicate ids)");
                }
            }
            return new Build(dir, List.copyOf(objects), files, patches);
        } finally {
            stack.pop();
        }
    }

    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass",
            "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration");

    private static void requireWithin(Path dir, Path file, Path kfile, String field) {
        if (!file.startsWith(dir)) {
            throw new ManifestException(rel(kfile) + ": " + field + " file '" + rel(file) + "' is outside the"
                    + " kustomization's directory (kustomize's load restrictor refuses it; reference a directory"
                    + " with its own kustomization instead)");
        }
    }

    private static void applyPatch(Path dir, Path kfile, Map<String, Object> patch, List<Doc> objects,
            Set<Path> files, Set<Path> patches) {
        for (String field : patch.keySet()) {
            if (!Set.of("path", "patch", "target").contains(field)) {
                throw new ManifestException(rel(kfile) + ": patches field '" + field + "' is not simulated");
            }
        }
        String text;
        String source;
        if (patch.get("path") instanceof String path) {
            Path f = dir.resolve(path).normalize();
            if (!Files.isRegularFile(f)) {
                throw new ManifestException(rel(kfile) + ": patch file '" + path + "' does not exist");
            }
            requireWithin(dir, f, kfile, "patch");
            files.add(f);
            patches.add(f);
            text = read(f);
            source = rel(f);
        } else if (patch.get("patch") instanceof String inline) {
            text = inline;
            source = rel(kfile) + " (inline patch)";
        } else {
            throw new ManifestException(rel(kfile) + ": a patch needs 'path' or 'patch'");
        }
        Map<String, Object> target = map(patch.get("target"));
        List<Object> parsed = load(text, source);
        if (parsed.size() == 1 && parsed.get(0) instanceof List<?> ops) {
            if (target.isEmpty()) {
                throw new ManifestException(source + ": a JSON 6902 patch needs a target");
            }
            List<Integer> hits = matching(objects, target, kfile);
            for (int i : hits) {
                Map<String, Object> body = copyMap(objects.get(i).body());
                for (Object op : ops) {
                    jsonPatch(body, map(op), source);
                }
                objects.set(i, objects.get(i).withBody(body));
            }
            return;
        }
        for (Object o : parsed) {
            Map<String, Object> smp = map(o);
            Map<String, Object> selector = target;
            if (selector.isEmpty()) {
                Doc d = new Doc(kfile, 0, smp);
                if (d.kind() == null || d.name() == null) {
                    throw new ManifestException(source + ": a strategic merge patch needs apiVersion, kind and"
                            + " metadata.name, or a target");
                }
                selector = new LinkedHashMap<>();
                selector.put("group", d.group());
                selector.put("version", d.version());
                selector.put("kind", d.kind());
                selector.put("name", d.name());
            }
            for (int i : matching(objects, selector, kfile)) {
                Map<String, Object> merged = castMap((Map<?, ?>) strategicMerge(objects.get(i).body(), smp, null));
                objects.set(i, objects.get(i).withBody(merged));
            }
        }
    }

    private static List<Integer> matching(List<Doc> objects, Map<String, Object> target, Path kfile) {
        for (String field : target.keySet()) {
            if (!Set.of("group", "version", "kind", "name", "namespace").contains(field)) {
                throw new ManifestException(rel(kfile) + ": patch target field '" + field + "' is not simulated");
            }
        }
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            Doc d = objects.get(i);
            if (matches(target.get("group"), d.group()) && matches(target.get("version"), d.version())
                    && matches(target.get("kind"), d.kind()) && matches(target.get("name"), d.name())
                    && matches(target.get("namespace"), d.namespace())) {
                hits.add(i);
            }
        }
        if (hits.isEmpty()) {
            throw new ManifestException(rel(kfile) + ": patch target " + target + " matches no object");
        }
        return hits;
    }

    private static boolean matches(Object wanted, String actual) {
        if (wanted == null) {
            return true;
        }
        return actual != null && Pattern.matches(String.valueOf(wanted), actual); // kustomize: anchored regex
    }

    /** Merge keys of lists in strategic merge patches (as in the Kubernetes API types); other lists are replaced. */
    private static final Map<String, List<String>> MERGE_KEYS = Map.of(
            "containers", List.of("name"), "initContainers", List.of("name"), "env", List.of("name"),
            "volumes", List.of("name"), "volumeMounts", List.of("mountPath"), "imagePullSecrets", List.of("name"),
            "ports", List.of("containerPort", "port"), "volumeDevices", List.of("devicePath"),
            "hostAliases", List.of("ip"));

    private static final Object DELETE = new Object();

    /** Kubernetes strategic merge, for maps and the keyed lists above; null deletes a key. */
    static Object strategicMerge(Object target, Object patch, String field) {
        if (target instanceof Map<?, ?> t && patch instanceof Map<?, ?> p) {
            if ("delete".equals(p.get("$patch"))) {
                return DELETE;
            }
            if ("replace".equals(p.get("$patch"))) {
                Map<String, Object> replaced = copyMap(castMap(p));
                replaced.remove("$patch");
                return replaced;
            }
            Map<String, Object> result = copyMap(castMap(t));
            for (Map.Entry<?, ?> e : p.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (key.startsWith("$")) {
                    continue;
                }
                if (e.getValue() == null) {
                    result.remove(key);
                    continue;
                }
                Object merged = result.containsKey(key) ? strategicMerge(result.get(key), e.getValue(), key)
                        : copy(e.getValue());
                if (merged == DELETE) {
                    result.remove(key);
                } else {
                    result.put(key, merged);
                }
            }
            return result;
        }
        if (target instanceof List<?> t && patch instanceof List<?> p && MERGE_KEYS.containsKey(field)
                && p.stream().allMatch(i -> i instanceof Map)) {
            List<Object> result = new ArrayList<>();
            t.forEach(i -> result.add(copy(i)));
            for (Object item : p) {
                Map<String, Object> pi = map(item);
                String key = MERGE_KEYS.get(field).stream().filter(pi::containsKey).findFirst().orElse(null);
                int found = -1;
                for (int i = 0; key != null && i < result.size(); i++) {
                    if (Objects.equals(map(result.get(i)).get(key), pi.get(key))) {
                        found = i;
                        break;
                    }
                }
                if (found < 0) {
                    if (!"delete".equals(pi.get("$patch"))) {
                        result.add(copy(item));
                    }
                } else {
                    Object merged = strategicMerge(result.get(found), item, null);
                    if (merged == DELETE) {
                        result.remove(found);
                    } else {
                        result.set(found, merged);
                    }
                }
            }
            return result;
        }
        return copy(patch);
    }

    /** RFC 6902 add, remove and replace. */
    static void jsonPatch(Map<String, Object> body, Map<String, Object> op, String source) {
        String kind = string(op.get("op"));
        String path = string(op.get("path"));
        if (kind == null || path == null || !path.startsWith("/")) {
            throw new ManifestException(source + ": a JSON patch operation needs 'op' and a '/path'");
        }
        List<String> tokens = new ArrayList<>();
        for (String t : path.substring(1).split("/", -1)) {
            tokens.add(t.replace("~1", "/").replace("~0", "~"));
        }
        Object parent = body;
        for (String t : tokens.subList(0, tokens.size() - 1)) {
            parent = child(parent, t);
            if (parent == null) {
                throw new ManifestException(source + ": JSON patch path " + path + " does not exist");
            }
        }
        String last = tokens.get(tokens.size() - 1);
        Object value = copy(op.get("value"));
        if (parent instanceof Map<?, ?> pm) {
            Map<String, Object> m = castMap(pm);
            switch (kind) {
                case "add" -> m.put(last, value);
                case "remove", "replace" -> {
                    if (!m.containsKey(last)) {
                        throw new ManifestException(source + ": JSON patch " + kind + " of missing " + path);
                    }
                    if (kind.equals("remove")) {
                        m.remove(last);
                    } else {
                        m.put(last, value);
                    }
                }
                default -> throw new ManifestException(source + ": JSON patch op '" + kind + "' is not simulated");
            }
        } else if (parent instanceof List<?> pl) {
            List<Object> l = list(pl);
            int index = last.equals("-") ? l.size() : Integer.parseInt(last);
            switch (kind) {
                case "add" -> l.add(index, value);
                case "remove" -> l.remove(index);
                case "replace" -> l.set(index, value);
                default -> throw new ManifestException(source + ": JSON patch op '" + kind + "' is not simulated");
            }
        } else {
            throw new ManifestException(source + ": JSON patch path " + path + " does not exist");
        }
    }

    private static Object child(Object parent, String token) {
        if (parent instanceof Map<?, ?> m) {
            return m.get(token);
        }
        if (parent instanceof List<?> l && token.matches("\\d+") && Integer.parseInt(token) < l.size()) {
            return l.get(Integer.parseInt(token));
        }
        return null;
    }

    /** kustomize's images transformer: every containers[]/initContainers[] image named {@code name}, in any kind. */
    private static void setImage(Map<String, Object> image, List<Doc> objects) {
        String name = string(image.get("name"));
        for (int i = 0; i < objects.size(); i++) {
            Map<String, Object> body = copyMap(objects.get(i).body());
            walk(body, node -> {
                for (String field : List.of("containers", "initContainers")) {
                    for (Object c : list(node.get(field))) {
                        Map<String, Object> container = map(c);
                        String current = string(container.get("image"));
                        if (current != null && imageName(current).equals(name)) {
                            container.put("image", retag(current, image));
                        }
                    }
                }
            });
            objects.set(i, objects.get(i).withBody(body));
        }
    }

    private static void walk(Object node, Consumer<Map<String, Object>> visitor) {
        if (node instanceof Map<?, ?> m) {
            visitor.accept(castMap(m));
            m.values().forEach(v -> walk(v, visitor));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> walk(v, visitor));
        }
    }

    static String imageName(String image) {
        String s = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = s.lastIndexOf('/');
        int colon = s.lastIndexOf(':');
        return colon > slash ? s.substring(0, colon) : s;
    }

    private static String retag(String current, Map<String, Object> image) {
        String name = image.get("newName") instanceof String n ? n : imageName(current);
        if (image.get("digest") instanceof String digest) {
            return name + "@" + digest;
        }
        if (image.get("newTag") != null) {
            return name + ":" + image.get("newTag");
        }
        return name + current.substring(imageName(current).length());
    }
}
