package io.tokengate.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.tokengate.budget.UsageRecord;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Aggregates ledger records into usage rows, whole or grouped by model, key or UTC day. */
final class UsageReport {
    private UsageReport() {}

    /** One usage row; exactly one of model / key_id / day is set when grouped. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Row(@JsonProperty("object") String object, @JsonProperty("model") String model,
            @JsonProperty("key_id") String keyId, @JsonProperty("day") String day,
            @JsonProperty("requests") long requests, @JsonProperty("prompt_tokens") long promptTokens,
            @JsonProperty("completion_tokens") long completionTokens, @JsonProperty("total_tokens") long totalTokens) {}

    static List<Row> rows(List<UsageRecord> records, String groupBy) {
        Function<UsageRecord, String> key = switch (groupBy == null ? "" : groupBy) {
            case "" -> r -> "";
            case "model" -> UsageRecord::model;
            case "key" -> r -> r.keyId() == null ? "(token)" : r.keyId();
            case "day" -> r -> r.at().atZone(ZoneOffset.UTC).toLocalDate().toString();
            default -> throw AdminRequests.invalid("group_by", "must be 'model', 'key' or 'day'.");
        };
        Map<String, long[]> sums = new TreeMap<>();
        for (UsageRecord r : records) {
            long[] s = sums.computeIfAbsent(key.apply(r), k -> new long[3]);
            s[0]++;
            s[1] += r.promptTokens();
            s[2] += r.completionTokens();
        }
        if (sums.isEmpty() && (groupBy == null || groupBy.isEmpty())) {
            sums.put("", new long[3]);
        }
        return sums.entrySet().stream().map(e -> row(groupBy, e.getKey(), e.getValue())).toList();
    }

    private static Row row(String groupBy, String group, long[] s) {
        String g = groupBy == null ? "" : groupBy;
        return new Row("usage", g.equals("model") ? group : null, g.equals("key") ? group : null,
                g.equals("day") ? group : null, s[0], s[1], s[2], s[1] + s[2]);
    }
}
