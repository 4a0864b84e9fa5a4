package io.tokengate.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.OptionalLong;

/** Request limits. */
public interface RequestLimits {
    /** Largest request body accepted, in bytes; larger bodies get 413 {@code request_too_large}. */
    @WithDefault("4194304")
    long maxBodyBytes();

    /**
     * How much of a body the gateway will not use (too large, or the request failed before it was read) is still
     * read and discarded before the error is sent, so that clients that write their whole body before reading the
     * answer (the OpenAI SDKs) see the error rather than a reset connection. Past this (or
     * {@link #drainTimeout()}), the error is sent and the connection closed. Keep
     * {@code quarkus.http.limits.max-body-size} at least as large: Quarkus refuses larger declared bodies itself,
     * with an empty 413.
     */
    @WithDefault("67108864")
    long drainBytes();

    /**
     * Request bodies one replica holds in memory at once, all tenants together, in bytes (each body counted at its
     * declared length, or at {@link #maxBodyBytes()} when it declares none, from before it is read until its
     * request ends). Past it, new requests get 503 {@code server_overloaded} before their body is read. Absent: a
     * quarter of the maximum heap.
     */
    OptionalLong bodyMemory();

    /**
     * The part of {@link #bodyMemory()} one tenant may hold; past it, that tenant's new requests get 429
     * {@code rate_limit_exceeded} before their body is read, while others are still served. Absent: a quarter of
     * the body memory (at least {@link #maxBodyBytes()}).
     */
    OptionalLong bodyMemoryPerTenant();

    /** Longest time spent discarding an unused body (see {@link #drainBytes()}). */
    @WithDefault("10s")
    Duration drainTimeout();

    /** Completion tokens assumed when a request names no {@code max_tokens}. */
    @WithDefault("4096")
    int defaultMaxTokens();

    /**
     * What admission does when the limit store (Redis) cannot be reached: {@code reject} (503
     * {@code store_unavailable}, the default: budgets are a promise) or {@code allow} (serve unmetered by limits;
     * every such decision is counted and logged).
     */
    @WithDefault("reject")
    StoreFailurePolicy onStoreFailure();

    /** What admission does without the limit store. */
    enum StoreFailurePolicy {
        /** 503 {@code store_unavailable}. */
        REJECT,
        /** Serve without limits, counted and logged. */
        ALLOW
    }

    /** Concurrency slots are leases: a replica that dies mid-request frees its slots after this long. */
    @WithDefault("2m")
    Duration lease();

    /** Streams without {@code max_tokens}: tokens reserved up front, and per extension while streaming. */
    @WithDefault("256")
    int streamChunkTokens();

    /** Limits of tenants whose record sets none (a record's {@code "limits":{}} means unlimited). */
    TenantDefaults tenantDefaults();

    /** Default tenant limits; each absent value is unlimited. */
    interface TenantDefaults {
        /** Requests per minute. */
        OptionalLong requestsPerMinute();

        /** Tokens per minute. */
        OptionalLong tokensPerMinute();

        /** Concurrent requests. */
        OptionalLong maxConcurrentRequests();

        /** Token budget per {@link #tokenBudgetPeriod()}. */
        OptionalLong tokenBudget();

        /** {@code day}, {@code month} or {@code total}. */
        @WithDefault("month")
        BudgetPeriod tokenBudgetPeriod();
    }

    /** The period of a default token budget. */
    enum BudgetPeriod {
        DAY, MONTH, TOTAL
    }
}
