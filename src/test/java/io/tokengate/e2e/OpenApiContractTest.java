package io.tokengate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengate.ingress.OpenAiRoutes;
import io.tokengate.testing.SimulatorResource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** {@code openapi.yaml} describes every route the running gateway installs, and nothing it does not serve. */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class OpenApiContractTest {
    @Inject
    OpenAiRoutes routes;

    @Test
    void everyInstalledRouteIsDocumented() throws IOException {
        assertThat(routes.installedRoutes()).isNotEmpty();
        assertThat(documentedRoutes()).containsAll(routes.installedRoutes());
    }

    @Test
    void everyDocumentedPublicRouteIsInstalled() throws IOException {
        List<String> documentedV1 = documentedRoutes().stream().filter(r -> r.contains(" /v1/")).toList();
        assertThat(routes.installedRoutes()).containsAll(documentedV1);
    }

    @Test
    void everyAdminRouteIsDocumentedAndEveryDocumentedAdminRouteExists() throws IOException {
        List<String> admin = new ArrayList<>();
        for (Class<?> resource : List.of(io.tokengate.admin.TenantsResource.class, io.tokengate.admin.KeysResource.class,
                io.tokengate.admin.UsageResource.class)) {
            admin.addAll(jaxRsRoutes(resource));
        }
        List<String> documented = documentedRoutes().stream().filter(r -> r.contains(" /admin/")).toList();

        assertThat(admin).hasSize(9);
        assertThat(documented).containsExactlyInAnyOrderElementsOf(admin);
    }

    /** "METHOD /path" of every resource method, path parameters as OpenAPI writes them. */
    private static List<String> jaxRsRoutes(Class<?> resource) {
        String base = resource.getAnnotation(jakarta.ws.rs.Path.class).value();
        List<String> routes = new ArrayList<>();
        for (java.lang.reflect.Method m : resource.getDeclaredMethods()) {
            String verb = m.isAnnotationPresent(jakarta.ws.rs.GET.class) ? "GET"
                    : m.isAnnotationPresent(jakarta.ws.rs.POST.class) ? "POST"
                    : m.isAnnotationPresent(jakarta.ws.rs.PUT.class) ? "PUT"
                    : m.isAnnotationPresent(jakarta.ws.rs.DELETE.class) ? "DELETE" : null;
            if (verb != null) {
                jakarta.ws.rs.Path sub = m.getAnnotation(jakarta.ws.rs.Path.class);
                routes.add(verb + " " + base + (sub == null ? "" : "/" + sub.value()));
            }
        }
        return routes;
    }

    @SuppressWarnings("unchecked")
    private static List<String> documentedRoutes() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("openapi.yaml"))) {
            Map<String, Object> spec = new Yaml().load(in);
            Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) spec.get("paths");
            List<String> routes = new ArrayList<>();
            paths.forEach((path, operations) -> operations.keySet().stream()
                    .filter(op -> List.of("get", "post", "put", "delete", "patch").contains(op))
                    .forEach(op -> routes.add(op.toUpperCase() + " " + path)));
            return routes;
        }
    }
}
