package io.tokengate.config;

import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Admin API. */
public interface AdminConfig {
    /** The bootstrap admin key (env {@code TOKENGATE_ADMIN_API_KEY}); absent: only OIDC admins. */
    Optional<String> apiKey();

    /** Role an OIDC token needs for the admin API. */
    @WithDefault("tokengate-admin")
    String role();
}
