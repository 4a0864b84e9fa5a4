package io.tokengate.budget;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The usage ledger in this process only (embedded default); lost on restart, like everything in memory. */
public final class InMemoryUsageLedger implements UsageLedger {
    private final Map<String, List<UsageRecord>> byTenant = new ConcurrentHashMap<>();

    @Override
    public Uni<Void> append(UsageRecord record) {
        List<UsageRecord> records = byTenant.computeIfAbsent(record.tenant(), t -> new ArrayList<>());
        synchronized (records) {
            records.add(record);
        }
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<List<UsageRecord>> read(String tenant, Instant from, Instant to) {
        List<UsageRecord> records = byTenant.getOrDefault(tenant, List.of());
        synchronized (records) {
            return Uni.createFrom().item(records.stream()
                    .filter(r -> !r.at().isBefore(from) && r.at().isBefore(to)).toList());
        }
    }
}
