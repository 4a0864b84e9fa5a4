package io.tokengate.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.smallrye.mutiny.Uni;
import io.tokengate.error.GatewayFailure;
import io.tokengate.request.Arrival;
import io.tokengate.request.Outcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The spans of one request: a child span per pipeline stage (match, authenticate, parse, admit, route, dispatch,
 * relay, settle) under the request's server span, GenAI attributes on the relay span, and the W3C trace context
 * to send upstream. Requests that are not sampled (and all of them with tracing off, the default) get no stage
 * spans at all, only the propagated context, so they pay for no span work.
 */
public final class RequestTrace {
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<List<String>> FINISH = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final Arrival arrival;
    private final Context parent;
    private final Span own; // a request span of our own when no server span is current (else null)
    private final boolean sampled; // stage spans only for sampled requests (tracing off: none at all)

    RequestTrace(Tracer tracer, TextMapPropagator propagator, Arrival arrival) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.arrival = arrival;
        Context current = Context.current();
        if (Span.fromContext(current).getSpanContext().isValid()) {
            this.own = null;
            this.parent = current;
        } else {
            this.own = tracer.spanBuilder("POST " + arrival.operation().path()).setSpanKind(SpanKind.SERVER).startSpan();
            this.parent = current.with(own);
        }
        this.sampled = Span.fromContext(parent).getSpanContext().isSampled();
        if (!sampled) {
            return;
        }
        long matchedEpochNanos = System.currentTimeMillis() * 1_000_000L - (System.nanoTime() - arrival.startNanos());
        tracer.spanBuilder("match").setParent(parent).setStartTimestamp(matchedEpochNanos, TimeUnit.NANOSECONDS)
                .setAttribute("http.route", arrival.operation().path()).startSpan().end();
    }

    /** The trace id (32 hex digits), or null when there is no valid trace (tracing off). */
    public String traceId() {
        String id = Span.fromContext(parent).getSpanContext().getTraceId();
        return Span.fromContext(parent).getSpanContext().isValid() ? id : null;
    }

    /** Runs one stage in its span; the span ends when the stage's Uni ends (item, failure or cancellation). */
    public <T> Uni<T> stage(String name, Supplier<Uni<T>> work) {
        return stage(name, span -> work.get());
    }

    /** As {@link #stage(String, Supplier)}, handing the span to the stage (for attributes and propagation). */
    public <T> Uni<T> stage(String name, Function<Span, Uni<T>> work) {
        if (!sampled) {
            return work.apply(Span.fromContext(parent)); // unsampled: no child spans; the context still propagates
        }
        return Uni.createFrom().deferred(() -> {
            Span span = tracer.spanBuilder(name).setParent(parent).startSpan();
            return work.apply(span)
                    .onItemOrFailure().invoke((item, failure) -> end(span, failure))
                    .onCancellation().invoke(span::end);
        });
    }

    /** A synchronous stage (settle). */
    public void run(String name, Runnable work) {
        if (!sampled) {
            work.run();
            return;
        }
        Span span = tracer.spanBuilder(name).setParent(parent).startSpan();
        try {
            work.run();
        } finally {
            span.end();
        }
    }

    /** W3C trace context headers ({@code traceparent}, {@code tracestate}) for a call made within {@code span}. */
    public Map<String, String> headers(Span span) {
        if (!span.getSpanContext().isValid()) {
            return Map.of(); // tracing off
        }
        Map<String, String> headers = new LinkedHashMap<>(2);
        propagator.inject(parent.with(span), headers, (carrier, key, value) -> carrier.put(key, value));
        return headers;
    }

    /** GenAI attributes of what was delivered (on the relay span; nothing when not sampled). */
    public void describe(Span span, String operation, String model, Outcome o) {
        if (!sampled || !span.isRecording()) {
            return;
        }
        span.setAttribute(OPERATION, operation).setAttribute(MODEL, model)
                .setAttribute(INPUT_TOKENS, (long) o.usage().promptTokens())
                .setAttribute(OUTPUT_TOKENS, (long) o.usage().completionTokens())
                .setAttribute("tokengate.usage.estimated", o.usage().estimated())
                .setAttribute("tokengate.upstream.endpoint", o.endpoint() == null ? "" : o.endpoint().toString())
                .setAttribute("tokengate.upstream.attempts", o.attempts());
        if (o.finishReason() != null) {
            span.setAttribute(FINISH, List.of(o.finishReason()));
        }
        if (o.errorCode() != null) {
            span.setStatus(StatusCode.ERROR, o.errorCode());
        }
    }

    /** Ends the request's own span, if it made one. */
    public void finish() {
        if (own != null) {
            own.end();
        }
    }

    private static void end(Span span, Throwable failure) {
        if (failure != null && span.isRecording()) {
            span.setStatus(StatusCode.ERROR, failure instanceof GatewayFailure f ? f.error().getClass().getSimpleName()
                    : failure.getClass().getSimpleName());
        }
        span.end();
    }
}
