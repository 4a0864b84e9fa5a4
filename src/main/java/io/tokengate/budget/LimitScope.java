package io.tokengate.budget;

import io.tokengate.tenant.Limits;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One limited scope of a request; {@code name} is unique within the tenant, e.g. {@code "tenant"},
 * {@code "key:<id>"}, {@code "model:<name>"}. Null limits mean unlimited.
 */
public record LimitScope(String tenant, String name, Limits limits) {

    public LimitScope {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(name, "name");
        limits = limits == null ? Limits.UNLIMITED : limits;
    }

    /**
     * The one tenant of a call's scopes (null when there are none); every scope of a call must belong to the
     * same tenant and be named once, or the call is refused with {@link IllegalArgumentException}.
     */
    static String tenantOf(List<LimitScope> scopes) {
        Set<String> names = new HashSet<>();
        String tenant = scopes.isEmpty() ? null : scopes.get(0).tenant();
        for (LimitScope scope : scopes) {
            if (!scope.tenant().equals(tenant)) {
                throw new IllegalArgumentException("scopes of one call must belong to one tenant: "
                        + tenant + " and " + scope.tenant());
            }
            if (!names.add(scope.name())) {
                throw new IllegalArgumentException("scope '" + scope.name() + "' is named twice");
            }
        }
        return tenant;
    }
}
