package io.tokengate.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A tenant as stored and as the admin API shows it. {@code allowedModels} may hold {@code "*"};
 * {@code modelLimits} are limits of the tenant × model scope (per model name), on top of the tenant's own.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Tenant(
        @JsonProperty("id") String id,
        @JsonProperty("display_name") String displayName,
        @JsonProperty("allowed_models") List<String> allowedModels,
        @JsonProperty("limits") Limits limits,
        @JsonProperty("oidc") OidcBinding oidc,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("model_limits") Map<String, Limits> modelLimits) {

    /** A tenant without per-model limits. */
    public Tenant(String id, String displayName, List<String> allowedModels, Limits limits, OidcBinding oidc,
            Instant createdAt) {
        this(id, displayName, allowedModels, limits, oidc, createdAt, null);
    }
}
