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
