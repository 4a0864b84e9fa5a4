package io.tokengate.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.tokengate.tenant.ApiKeyRecord;
import io.tokengate.tenant.Limits;
import java.time.Instant;
import java.util.List;

/** The JSON shapes the admin API answers with (secrets and hashes never appear in any of them). */
final class AdminViews {
    private AdminViews() {}

    /** {@code {"object":"list","data":[...]}}. */
    @RegisterForReflection
    record ListOf<T>(@JsonProperty("object") String object, @JsonProperty("data") List<T> data) {
        static <T> ListOf<T> of(List<T> data) {
            return new ListOf<>("list", data);
        }
    }

    /** A key as listed: everything but the secret and its hash. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record KeyView(@JsonProperty("id") String id, @JsonProperty("object") String object,
            @JsonProperty("name") String name, @JsonProperty("allowed_models") List<String> allowedModels,
            @JsonProperty("limits") Limits limits, @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("expires_at") Instant expiresAt, @JsonProperty("revoked_at") Instant revokedAt) {
        static KeyView of(ApiKeyRecord k) {
            return new KeyView(k.id(), "api_key", k.name(), k.allowedModels(), k.limits(), k.createdAt(),
                    k.expiresAt(), k.revokedAt());
        }
    }

    /** The answer to key creation: the only time the full key is shown. */
    @RegisterForReflection
    record CreatedKey(@JsonProperty("id") String id, @JsonProperty("object") String object,
            @JsonProperty("key") String key, @JsonProperty("name") String name,
            @JsonProperty("created_at") Instant createdAt, @JsonProperty("expires_at") Instant expiresAt) {}

    /** The answer to a delete or revoke. */
    @RegisterForReflection
    record Deleted(@JsonProperty("id") String id, @JsonProperty("object") String object,
            @JsonProperty("deleted") boolean deleted) {}
}
