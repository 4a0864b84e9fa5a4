package io.tokengate.pipeline;

import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import io.tokengate.auth.Authenticator;
import io.tokengate.budget.BudgetGate;
import io.tokengate.budget.RateLimitHeaders;
import io.tokengate.budget.Reservation;
import io.tokengate.error.ErrorBody;
import io.tokengate.error.ErrorCatalog;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.tokengate.ingress.Exchange;
import io.tokengate.ingress.OpenAiRoutes;
import io.tokengate.observability.AccessLog;
import io.tokengate.observability.GatewayMetrics;
import io.tokengate.observability.RequestTrace;
import io.tokengate.observability.Tracing;
import io.tokengate.protocol.OpenAiProtocol;
import io.tokengate.relay.ResponseRelay;
import io.tokengate.request.AttemptContext;
import io.tokengate.request.Caller;
import io.tokengate.request.Operation;
import io.tokengate.request.Outcome;
import io.tokengate.request.ParsedRequest;
import io.tokengate.routing.RoutePlan;
import io.tokengate.routing.RoutePlanner;
import io.tokengate.upstream.UpstreamDispatcher;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The one place the order of a request's eight stages is written:
 * match → authenticate → parse → admit → route → dispatch → relay → settle.
 * Stage 1 (match) happens in {@link OpenAiRoutes}, which hands each matched request here. Each stage takes the
 * records of the stages before it and returns its own; settle is attached on termination of everything after
 * admission, so it runs exactly once for every admitted request, on success, error and cancel alike.
 */
@Singleton
public class ProxyPipeline implements OpenAiRoutes.RequestHandler {
    private static final Logger LOG = Logger.getLogger(ProxyPipeline.class);
    private final Authenticator authenticator;
    private final OpenAiProtocol protocol;
    private final BudgetGate budget;
    private final RoutePlanner planner;
    private final UpstreamDispatcher dispatcher;
    private final ResponseRelay relay;
    private final AccessLog accessLog;
    private final GatewayMetrics metrics;
    private final Tracing tracing;

    @Inject
    public ProxyPipeline(Authenticator authenticator, OpenAiProtocol protocol, BudgetGate budget,
            RoutePlanner planner, UpstreamDispatcher dispatcher, ResponseRelay relay, AccessLog accessLog,
            GatewayMetrics metrics, Tracing tracing) {
        this.authenticator = authenticator;
        this.protocol = protocol;
        this.budget = budget;
        this.planner = planner;
        this.dispatcher = dispatcher;
        this.relay = relay;
        this.accessLog = accessLog;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    @Override
    public void handle(Exchange exchange) {
        if (!exchange.operation().proxied()) {
            listModels(exchange);
            return;
        }
        Known known = new Known();
        RequestTrace trace = tracing.start(exchange.arrival());                               // 1 match (done: a span)
        trace.stage("authenticate", () -> authenticator.authenticate(exchange.credentials())) // 2 authenticate
                .invoke(known::caller)
                .chain(caller -> trace.stage("parse", () -> exchange.readBody(caller.tenant())                // 3 parse
                        .map(body -> protocol.parse(exchange.operation(), caller, body.getBytes()))))
                .invoke(known::request)
                .call(request -> trace.stage("route.await_capacity",                          // (5) a pool at zero: wake
                        () -> planner.awaitCapacity(request.route(), request.caller().tenant(), //     it (if the caller
                                () -> budget.check(request))))                                 //     could be admitted)
                                                                                              //     and wait: no quota spent
                .chain(request -> trace.stage("admit", () -> budget.admit(request)))          // 4 admit
                .chain(reservation -> admitted(exchange, reservation, trace))                 // 5-8
                .onFailure().recoverWithItem(failure -> failed(exchange, known, failure, Map.of()))
                .subscribe().with(outcome -> ended(exchange, outcome, trace));
    }

    /** Stages 5 to 8 of an admitted request; settle is attached on termination, so it cannot be skipped. */
    private Uni<Outcome> admitted(Exchange exchange, Reservation reservation, RequestTrace trace) {
        ParsedRequest request = reservation.request();
        Map<String, String> limits = RateLimitHeaders.of(reservation.decision());
        return trace.stage("route", () -> Uni.createFrom().item(() -> route(request)))      // 5 route
                .chain(plan -> trace.stage("dispatch", span ->                                // 6 dispatch (retry unit)
                        dispatcher.dispatch(request, plan, attemptContext(exchange, trace, span))))
                .chain(upstream -> trace.stage("relay", span -> relay.relay(request, upstream,      // 7 relay
                                budget.allowance(reservation), limits, exchange.response(), exchange)
                        .invoke(outcome -> trace.describe(span, GatewayMetrics.operation(request.operation()),
                                request.model(), outcome)))
                        .eventually(upstream::release))
                .onFailure().recoverWithItem(failure -> failed(exchange, Known.of(request), failure, limits))
                .onTermination().invoke((outcome, failure, cancelled) -> trace.run("settle",   // 8 settle, always
                        () -> settle(exchange, reservation, outcome)));
    }

    private void ended(Exchange exchange, Outcome outcome, RequestTrace trace) {
        metrics.record(exchange.arrival(), outcome);
        accessLog.record(exchange.arrival(), outcome, trace == null ? null : trace.traceId());
        if (trace != null) {
            trace.finish();
        }
    }

    private void settle(Exchange exchange, Reservation reservation, Outcome outcome) {
        Outcome settled = outcome != null ? outcome : Outcome.status(499).errorCode("client_closed_request")
                .request(reservation.request()).build(); // cancelled: nothing was delivered
        budget.settle(reservation, settled, exchange.requestId(),
                (System.nanoTime() - exchange.arrival().startNanos()) / 1_000_000);
    }

    private RoutePlan route(ParsedRequest request) {
        return planner.route(request.route(), request.caller().tenant(),
                request.promptPrefix(RoutePlanner.prefixBytes(request.route())));
    }

    private static AttemptContext attemptContext(Exchange exchange, RequestTrace trace, Span span) {
        return new AttemptContext(exchange.requestId(), trace.headers(span), exchange);
    }

    private void listModels(Exchange exchange) {
        Known known = new Known();
        authenticator.authenticate(exchange.credentials())
                .invoke(known::caller)
                .map(caller -> exchange.operation() == Operation.LIST_MODELS ? protocol.modelList(caller)
                        : protocol.model(caller, exchange.modelParam()))
                .map(json -> {
                    exchange.sendJson(200, json);
                    return Outcome.status(200).caller(known.caller).firstByteNanos(System.nanoTime()).build();
                })
                .onFailure().recoverWithItem(failure -> failed(exchange, known, failure, Map.of()))
                .subscribe().with(outcome -> ended(exchange, outcome, null));
    }

    /** Sends the catalogued error (or nothing, if the client left) and describes the outcome. */
    private static Outcome failed(Exchange exchange, Known known, Throwable failure, Map<String, String> limits) {
        GatewayError error = GatewayFailure.of(failure);
        if (error instanceof GatewayError.Internal) {
            LOG.errorf(failure, "request %s failed unexpectedly", exchange.requestId());
        }
        ErrorBody body = ErrorCatalog.describe(error);
        limits.forEach(exchange.response()::putHeader);
        exchange.sendError(body);
        return Outcome.status(exchange.clientGone() ? 499 : body.status()).errorCode(body.code())
                .caller(known.caller).model(known.model).firstByteNanos(System.nanoTime()).build();
    }

    /** What the stages found out so far, for the outcome of a request that fails later. Pipeline-private. */
    private static final class Known {
        private Caller caller;
        private String model;

        static Known of(ParsedRequest request) {
            Known known = new Known();
            known.request(request);
            return known;
        }

        void caller(Caller caller) {
            this.caller = caller;
        }

        void request(ParsedRequest request) {
            this.caller = request.caller();
            this.model = request.model();
        }
    }
}
