package io.tokengate.budget;

import io.tokengate.tenant.Limits;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis key layout of the limit store and the script arguments, all hash-tagged by tenant so that one call
 * touches a single cluster slot:
 * <ul>
 *   <li>{@code tg:{t:<tenant>}:res:<reservation id>}: the reservation record (hash {@code s r d m});</li>
 *   <li>{@code tg:{t:<tenant>}:lim:<scope>:rpm} and {@code :tpm}: token buckets (hash {@code l t});</li>
 *   <li>{@code tg:{t:<tenant>}:lim:<scope>:conc}: leases, a sorted set of reservation ids scored by expiry;</li>
 *   <li>{@code tg:{t:<tenant>}:lim:<scope>:budget}: tokens used in a period (hash {@code p u}), expiring an hour
 *       after the period ends (never for a total budget).</li>
 * </ul>
 */
final class LimitKeys {
    static final String UNLIMITED = "-1";

    private LimitKeys() {
    }

    static String record(String tenant, String reservationId) {
        return prefix(tenant) + "res:" + reservationId;
    }

    static String scope(String tenant, String scope, String part) {
        return prefix(tenant) + "lim:" + scope + ":" + part;
    }

    /** KEYS of a script: the record, then {@code rpm tpm conc budget} of each scope. */
    static List<String> keys(String tenant, String reservationId, List<LimitScope> scopes) {
        List<String> keys = new ArrayList<>(1 + 4 * scopes.size());
        keys.add(record(tenant, reservationId));
        for (LimitScope scope : scopes) {
            for (String part : List.of("rpm", "tpm", "conc", "budget")) {
                keys.add(scope(tenant, scope.name(), part));
            }
        }
        return keys;
    }

    /** ARGV of a script: the id, three numbers, the scope count, then five limits per scope (see limits.lua). */
    static List<String> args(String reservationId, long first, long second, long third, List<LimitScope> scopes) {
        List<String> args = new ArrayList<>(5 + 5 * scopes.size());
        args.addAll(List.of(reservationId, Long.toString(first), Long.toString(second), Long.toString(third),
                Integer.toString(scopes.size())));
        for (LimitScope scope : scopes) {
            Limits limits = scope.limits();
            args.add(limit(limits.requestsPerMinute()));
            args.add(limit(limits.tokensPerMinute()));
            args.add(limit(limits.maxConcurrentRequests()));
            args.add(limits.tokenBudget() == null ? UNLIMITED : limit(limits.tokenBudget().limit()));
            args.add(limits.tokenBudget() == null ? "t" : BudgetPeriod.code(limits.tokenBudget().period()));
        }
        return args;
    }

    private static String limit(Long limit) {
        return limit == null ? UNLIMITED : Long.toString(Math.max(0, limit));
    }

    private static String prefix(String tenant) {
        return "tg:{t:" + tenant + "}:";
    }
}
