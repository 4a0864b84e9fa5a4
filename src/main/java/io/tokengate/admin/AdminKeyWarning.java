package io.tokengate.admin;

import io.quarkus.runtime.StartupEvent;
import io.tokengate.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Says at start when no bootstrap admin key is configured: the admin API then takes only OIDC admin tokens of the
 * shared issuer, or nothing at all, and every other call gets 401 without further explanation.
 */
@ApplicationScoped
class AdminKeyWarning {
    private static final Logger LOG = Logger.getLogger(AdminKeyWarning.class);
    private static final String NO_KEY = "No admin key is configured (tokengate.admin.api-key, env TOKENGATE_ADMIN_API_KEY): ";

    void check(@Observes StartupEvent event, GatewayConfig config) {
        warning(config.admin().apiKey(), config.auth().sharedIssuer(), config.admin().role()).ifPresent(LOG::warn);
    }

    /** The warning for this configuration, or empty when an admin key is set. */
    static Optional<String> warning(Optional<String> adminKey, Optional<String> sharedIssuer, String role) {
        if (adminKey.filter(key -> !key.isBlank()).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(sharedIssuer
                .map(issuer -> NO_KEY + "the admin API (/admin/v1) accepts only OIDC tokens of " + issuer
                        + " with the role '" + role + "'.")
                .orElse(NO_KEY + "with no shared OIDC issuer (tokengate.auth.shared-issuer) either, the admin API "
                        + "(/admin/v1) answers every request 401. Set TOKENGATE_ADMIN_API_KEY before the start to "
                        + "manage tenants and keys."));
    }
}
