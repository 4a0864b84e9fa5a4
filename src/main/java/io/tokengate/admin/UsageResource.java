package io.tokengate.admin;

import io.smallrye.mutiny.Uni;
import io.tokengate.budget.UsageLedger;
import io.tokengate.tenant.TenantStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code GET /admin/v1/tenants/{id}/usage?from=&to=&group_by=model|key|day}: usage from the durable ledger,
 * default window from the start of the current UTC month to now.
 */
@Path("/admin/v1/tenants/{tenant}/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {
    private final TenantStore store;
    private final UsageLedger ledger;

    @Inject
    public UsageResource(TenantStore store, UsageLedger ledger) {
        this.store = store;
        this.ledger = ledger;
    }

    @GET
    public Uni<AdminViews.ListOf<UsageReport.Row>> usage(@PathParam("tenant") String tenant,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("group_by") String groupBy) {
        Instant start = from == null ? YearMonth.now(ZoneOffset.UTC).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)
                : instant("from", from);
        Instant end = to == null ? Instant.now().plusMillis(1) : instant("to", to);
        UsageReport.rows(List.of(), groupBy); // validates group_by before any I/O
        return Tenants.existing(store, tenant).chain(t -> ledger.read(tenant, start, end)).map(records -> AdminViews.ListOf.of(UsageReport.rows(records, groupBy)));
    }

    private static Instant instant(String param, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw AdminRequests.invalid(param, "must be an RFC 3339 instant such as 2026-11-01T00:00:00Z.");
        }
    }
}
