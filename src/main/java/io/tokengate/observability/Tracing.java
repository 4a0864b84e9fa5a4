package io.tokengate.observability;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.tokengate.request.Arrival;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * OpenTelemetry tracing of the pipeline (quarkus-opentelemetry). Off by default ({@code quarkus.otel.sdk.disabled=true}):
 * set {@code QUARKUS_OTEL_SDK_DISABLED=false} and {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT} to export over OTLP,
 * and {@code QUARKUS_OTEL_TRACES_SAMPLER_ARG} (e.g. 0.1) to sample.
 */
@Singleton
public class Tracing {
    private final Tracer tracer;
    private final OpenTelemetry otel;

    @Inject
    public Tracing(OpenTelemetry otel) {
        this.otel = otel;
        this.tracer = otel.getTracer("io.tokengate");
    }

    /** Starts the trace of one request (its {@code match} span is recorded at once). */
    public RequestTrace start(Arrival arrival) {
        return new RequestTrace(tracer, otel.getPropagators().getTextMapPropagator(), arrival);
    }
}
