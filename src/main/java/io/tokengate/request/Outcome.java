package io.tokengate.request;

import io.tokengate.config.EndpointId;

/**
 * The output of stage 7, Relay (or of a failure before it): what the client got. {@code status} is the HTTP status
 * sent (499 when the client went away), {@code errorCode} the catalogued code of a failure (null on success), and
 * the usage counts only what was delivered. {@code tenant}, {@code keyId} and {@code model} are null when the
 * request failed before they were known. {@code endpoint} is the backend that answered (null when none did),
 * {@code upstreamNanos} the time it spent (from sending the request to its last byte; 0 when no backend answered),
 * so the rest is the gateway's own overhead. {@code finishReason} is the backend's (first) {@code finish_reason},
 * null when none was seen. Built by name: {@code Outcome.status(200).request(parsed).usage(u)...build()}.
 */
public record Outcome(int status, String errorCode, String tenant, String keyId, String model, Usage usage,
        EndpointId endpoint, int attempts, long firstByteNanos, long upstreamNanos, String finishReason) {

    /** Starts an outcome with the status the client got. */
    public static Builder status(int status) {
        return new Builder(status);
    }

    /** Builds an {@link Outcome} field by field; unset fields are null or 0, usage {@link Usage#NONE}. */
    public static final class Builder {
        private final int status;
        private String errorCode;
        private String tenant;
        private String keyId;
        private String model;
        private Usage usage = Usage.NONE;
        private EndpointId endpoint;
        private int attempts;
        private long firstByteNanos;
        private long upstreamNanos;
        private String finishReason;

        private Builder(int status) {
            this.status = status;
        }

        public Builder errorCode(String code) {
            this.errorCode = code;
            return this;
        }

        /** The caller (tenant and key), when known. */
        public Builder caller(Caller caller) {
            if (caller != null) {
                this.tenant = caller.tenant();
                this.keyId = caller.keyId();
            }
            return this;
        }

        /** The requested model, when known. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** The caller and model of a parsed request. */
        public Builder request(ParsedRequest request) {
            return caller(request.caller()).model(request.model());
        }

        public Builder usage(Usage usage) {
            this.usage = usage;
            return this;
        }

        /** The backend that answered, and after how many attempts. */
        public Builder answeredBy(EndpointId endpoint, int attempts) {
            this.endpoint = endpoint;
            this.attempts = attempts;
            return this;
        }

        public Builder firstByteNanos(long nanos) {
            this.firstByteNanos = nanos;
            return this;
        }

        public Builder upstreamNanos(long nanos) {
            this.upstreamNanos = nanos;
            return this;
        }

        public Builder finishReason(String reason) {
            this.finishReason = reason;
            return this;
        }

        public Outcome build() {
            return new Outcome(status, errorCode, tenant, keyId, model, usage, endpoint, attempts, firstByteNanos,
                    upstreamNanos, finishReason);
        }
    }
}
