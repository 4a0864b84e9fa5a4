package io.tokengate.budget;

import io.tokengate.config.GatewayConfig;
import io.tokengate.config.InvalidConfigException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Chooses the usage ledger from {@code tokengate.storage.kind}. */
@ApplicationScoped
class UsageLedgerProducer {

    @Produces
    @Singleton
    UsageLedger usageLedger(GatewayConfig config) {
        return switch (config.storage().kind()) {
            case "memory" -> new InMemoryUsageLedger();
            default -> throw new InvalidConfigException("tokengate.storage.kind",
                    "must be 'memory' or 'redis', not '" + config.storage().kind() + "'");
        };
    }
}
