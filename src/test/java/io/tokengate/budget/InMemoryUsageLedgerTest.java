package io.tokengate.budget;

/** The usage ledger contract against the in-memory ledger. */
class InMemoryUsageLedgerTest extends UsageLedgerContract {

    @Override
    UsageLedger newLedger() {
        return new InMemoryUsageLedger();
    }
}
