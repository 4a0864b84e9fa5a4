package io.tokengate.budget;

import java.time.Instant;

/**
 * One settled request in the usage ledger: who, which model and backend, the tokens delivered (estimated or
 * reported by the backend), latency and the status the client got.
 */
public record UsageRecord(Instant at, String requestId, String tenant, String keyId, String model, String backend,
        int promptTokens, int completionTokens, boolean estimated, long latencyMillis, int status) {

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
