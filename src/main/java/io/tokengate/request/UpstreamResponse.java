package io.tokengate.request;

import io.tokengate.config.EndpointId;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * The output of stage 6, Dispatch: an upstream answer good enough to start relaying. A plain answer is complete
 * ({@code rest} is null, {@code usage} read from it); a stream holds its first bytes in {@code head} and the paused
 * rest in {@code rest}. {@code sentNanos} and {@code answeredNanos} time the backend. Built by name:
 * {@code UpstreamResponse.from(endpoint, link).status(200)...build()}.
 */
public record UpstreamResponse(EndpointId endpoint, UpstreamLink link, int status, MultiMap headers, Buffer head,
        Usage usage, HttpClientResponse rest, int attempts, long sentNanos, long answeredNanos) {

    /** Starts a response of {@code endpoint}, reached through {@code link}. */
    public static Builder from(EndpointId endpoint, UpstreamLink link) {
        return new Builder(endpoint, link);
    }

    public boolean streaming() {
        return rest != null;
    }

    /** The exchange with the backend is over: frees its in-flight slot. Idempotent. */
    public void release() {
        link.release();
    }

    /** Builds an {@link UpstreamResponse} field by field. */
    public static final class Builder {
        private final EndpointId endpoint;
        private final UpstreamLink link;
        private int status;
        private MultiMap headers;
        private Buffer head;
        private Usage usage;
        private HttpClientResponse rest;
        private int attempts;
        private long sentNanos;
        private long answeredNanos;

        private Builder(EndpointId endpoint, UpstreamLink link) {
            this.endpoint = endpoint;
            this.link = link;
        }

        /** A complete answer: its status, headers, whole body and the usage read from it. */
        public Builder complete(int status, MultiMap headers, Buffer body, Usage usage) {
            this.status = status;
            this.headers = headers;
            this.head = body;
            this.usage = usage;
            return this;
        }

        /** A 200 stream: its headers, first bytes and the paused rest. */
        public Builder stream(MultiMap headers, Buffer first, HttpClientResponse rest) {
            this.status = 200;
            this.headers = headers;
            this.head = first;
            this.rest = rest;
            return this;
        }

        /** Which attempt of the request this was (1 = the first). */
        public Builder attempt(int number) {
            this.attempts = number;
            return this;
        }

        /** When the request went to the backend and when its answer (or first chunk) came back. */
        public Builder timing(long sentNanos, long answeredNanos) {
            this.sentNanos = sentNanos;
            this.answeredNanos = answeredNanos;
            return this;
        }

        public UpstreamResponse build() {
            return new UpstreamResponse(endpoint, link, status, headers, head, usage, rest, attempts, sentNanos,
                    answeredNanos);
        }
    }
}
