package io.tokengate.readme;

import io.smallrye.config.WithName;
import io.tokengate.config.GatewayConfig;
import io.tokengate.request.Operation;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Something in the code base that shows a feature exists: a class, a configuration key, a file or a route. */
sealed interface Evidence {
    boolean present();

    static Evidence type(Class<?> type) {
        return new JavaClass(type.getName());
    }

    /** A class by name, for package-private ones. */
    static Evidence type(String name) {
        return new JavaClass(name);
    }

    /** A {@link GatewayConfig} key, {@code *} for a map key or list index: {@code tokengate.pools.*.breaker}. */
    static Evidence key(String key) {
        return new ConfigKey(key);
    }

    /** A file or directory of the repository. */
    static Evidence file(String path) {
        return new RepoFile(path);
    }

    /** A public route, {@code "POST /v1/embeddings"}. */
    static Evidence route(String route) {
        return new Route(route);
    }

    record JavaClass(String name) implements Evidence {
        public boolean present() {
            try {
                Class.forName(name, false, Evidence.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return "class " + name;
        }
    }

    record ConfigKey(String key) implements Evidence {
        public boolean present() {
            Type current = GatewayConfig.class;
            for (String segment : key.substring("tokengate.".length()).split("\\.")) {
                current = step(unwrapOptional(current), segment);
                if (current == null) {
                    return false;
                }
            }
            return true;
        }

        private static Type step(Type type, String segment) {
            if (segment.equals("*")) {
                Class<?> raw = raw(type);
                int element = Map.class.isAssignableFrom(raw) ? 1 : List.class.isAssignableFrom(raw) ? 0 : -1;
                return element < 0 ? null : ((ParameterizedType) type).getActualTypeArguments()[element];
            }
            return Arrays.stream(raw(type).getMethods()).filter(m -> m.getParameterCount() == 0)
                    .filter(m -> name(m).equals(segment)).findFirst().map(Method::getGenericReturnType).orElse(null);
        }

        private static String name(Method m) {
            WithName name = m.getAnnotation(WithName.class);
            return name != null ? name.value()
                    : m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        }

        private static Type unwrapOptional(Type type) {
            return raw(type) == Optional.class ? ((ParameterizedType) type).getActualTypeArguments()[0] : type;
        }

        private static Class<?> raw(Type type) {
            return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        }

        @Override
        public String toString() {
            return "configuration key " + key;
        }
    }

    record RepoFile(String path) implements Evidence {
        public boolean present() {
            return Files.exists(Path.of(path));
        }

        @Override
        public String toString() {
            return "file " + path;
        }
    }

    record Route(String route) implements Evidence {
        public boolean present() {
            return Arrays.stream(Operation.values()).anyMatch(e -> (e.method().name() + " " + e.path()).equals(route));
        }

        @Override
        public String toString() {
            return "route " + route;
        }
    }
}
