package io.tokengate.budget;

import io.smallrye.mutiny.Uni;
import io.tokengate.config.RequestLimits;
import io.tokengate.request.Caller;
import io.tokengate.tenant.ApiKeyRecord;
import io.tokengate.tenant.Limits;
import io.tokengate.tenant.Tenant;
import io.tokengate.tenant.TenantDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The limited scopes of a request: its tenant, its key and its tenant × model (from the cached directory);
 * unlimited ones are left out.
 */
final class LimitScopes {
    private final TenantDirectory directory;
    private final Limits tenantDefaults;

    LimitScopes(TenantDirectory directory, Limits tenantDefaults) {
        this.directory = directory;
        this.tenantDefaults = tenantDefaults;
    }

    /** The configured defaults ({@code tokengate.limits.tenant-defaults.*}) as limits, or null when none is set. */
    static Limits defaults(RequestLimits.TenantDefaults d) {
        Limits.TokenBudget budget = d.tokenBudget().isPresent() ? new Limits.TokenBudget(d.tokenBudget().getAsLong(),
                switch (d.tokenBudgetPeriod()) {
                    case DAY -> Limits.Period.DAY;
                    case MONTH -> Limits.Period.MONTH;
                    case TOTAL -> Limits.Period.TOTAL;
                }) : null;
        Limits limits = new Limits(boxed(d.requestsPerMinute()), boxed(d.tokensPerMinute()),
                boxed(d.maxConcurrentRequests()), budget);
        return limited(limits) ? limits : null;
    }

    private static Long boxed(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    Uni<List<LimitScope>> of(Caller caller, String model) {
        Uni<Optional<ApiKeyRecord>> key = caller.keyId() == null ? Uni.createFrom().item(Optional.empty())
                : directory.key(caller.keyId());
        return directory.tenant(caller.tenant()).chain(tenant -> key.map(k -> scopes(caller, model, tenant, k)));
    }

    private List<LimitScope> scopes(Caller caller, String model, Optional<Tenant> tenant,
            Optional<ApiKeyRecord> key) {
        List<LimitScope> scopes = new ArrayList<>(3);
        tenant.map(t -> t.limits() != null ? t.limits() : tenantDefaults).filter(LimitScopes::limited)
                .ifPresent(l -> scopes.add(new LimitScope(caller.tenant(), "tenant", l)));
        key.map(ApiKeyRecord::limits).filter(LimitScopes::limited)
                .ifPresent(l -> scopes.add(new LimitScope(caller.tenant(), "key:" + caller.keyId(), l)));
        tenant.map(Tenant::modelLimits).map(byModel -> byModel.get(model)).filter(LimitScopes::limited)
                .ifPresent(l -> scopes.add(new LimitScope(caller.tenant(), "model:" + model, l)));
        return scopes;
    }

    private static boolean limited(Limits l) {
        return l != null && (l.requestsPerMinute() != null || l.tokensPerMinute() != null
                || l.maxConcurrentRequests() != null || l.tokenBudget() != null);
    }
}
