package io.tokengate.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A real OIDC provider for {@code @QuarkusTest}s: the test JVM's {@link Keycloak} (started on first use), its realm
 * {@code tokengate} as the gateway's shared issuer. Security and auth code log at DEBUG so that the tests that
 * check the logs for tokens see everything those classes write; quarkus-oidc is asked for DEBUG too, which
 * application.properties caps at INFO (its DEBUG messages quote tokens): the tests prove the cap holds.
 */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "tokengate.auth.shared-issuer", Keycloak.issuer("tokengate"),
                "quarkus.log.category.\"io.quarkus.oidc\".level", "DEBUG",
                "quarkus.log.category.\"io.quarkus.security\".level", "DEBUG",
                "quarkus.log.category.\"io.tokengate.auth\".level", "DEBUG");
    }

    @Override
    public void stop() {
        // Keycloak lives as long as the test JVM (other test classes reuse it); a shutdown hook stops it.
    }
}
