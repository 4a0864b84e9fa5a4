package io.tokengate.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Limits of a tenant, a key, or a tenant × model; a null field is unlimited. JSON field names as in the admin API.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Limits(
        @JsonProperty("requests_per_minute") Long requestsPerMinute,
        @JsonProperty("tokens_per_minute") Long tokensPerMinute,
        @JsonProperty("max_concurrent_requests") Long maxConcurrentRequests,
        @JsonProperty("token_budget") TokenBudget tokenBudget) {

    public static final Limits UNLIMITED = new Limits(null, null, null, null);

    /** A token budget per calendar period (UTC) or in total. */
    @RegisterForReflection
    public record TokenBudget(@JsonProperty("limit") long limit, @JsonProperty("period") Period period) {}

    /** Budget periods; JSON {@code "day"}, {@code "month"}, {@code "total"}. */
    public enum Period {
        @JsonProperty("day") DAY,
        @JsonProperty("month") MONTH,
        @JsonProperty("total") TOTAL
    }
}
