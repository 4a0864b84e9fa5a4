package io.tokengate.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * A stored API key: never the secret, only its hash. {@code id} is the key's 12-character public id (the lookup
 * key); {@code allowedModels} and {@code limits} are null when the key inherits the tenant's.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyRecord(
        @JsonProperty("id") String id,
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("name") String name,
        @JsonProperty("secret_hash") String secretHash,
        @JsonProperty("allowed_models") List<String> allowedModels,
        @JsonProperty("limits") Limits limits,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("revoked_at") Instant revokedAt) {

    /** True when the key may be used at {@code now}. */
    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    public ApiKeyRecord revoked(Instant at) {
        return new ApiKeyRecord(id, tenantId, name, secretHash, allowedModels, limits, createdAt, expiresAt, at);
    }
}
