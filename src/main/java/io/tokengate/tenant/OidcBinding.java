package io.tokengate.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A tenant's own identity provider: tokens from this issuer for this audience authenticate as the tenant. */
@RegisterForReflection
public record OidcBinding(@JsonProperty("issuer") String issuer, @JsonProperty("audience") String audience) {}
