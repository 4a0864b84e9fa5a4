package io.tokengate.budget;

import io.tokengate.protocol.ParsedRequest;

/** The output of stage 4, Admit: what was reserved for one request, to be reconciled at settle. */
public record Reservation(ParsedRequest request, int estimatedPromptTokens, int reservedTokens) {}
