package io.tokengate.budget;

/** Why a reservation was refused. */
public enum DenialReason {
    /** The scope's requests-per-minute bucket is empty. */
    REQUESTS_PER_MINUTE,
    /** The scope's tokens-per-minute bucket holds fewer tokens than asked (or the request is larger than it). */
    TOKENS_PER_MINUTE,
    /** Every concurrency slot (lease) of the scope is taken. */
    CONCURRENCY,
    /** The scope's token budget for the current period cannot cover the tokens asked. */
    BUDGET
}
