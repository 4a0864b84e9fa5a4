package io.tokengate.readme;

import static io.tokengate.readme.Evidence.file;
import static io.tokengate.readme.Evidence.key;
import static io.tokengate.readme.Evidence.route;
import static io.tokengate.readme.Evidence.type;

import io.tokengate.admin.TenantsResource;
import io.tokengate.admin.UsageResource;
import io.tokengate.auth.ApiKeys;
import io.tokengate.budget.BudgetGate;
import io.tokengate.budget.RateLimitHeaders;
import io.tokengate.budget.UsageLedger;
import io.tokengate.health.HealthProber;
import io.tokengate.ingress.Draining;
import io.tokengate.observability.AccessLog;
import io.tokengate.observability.GatewayMetrics;
import io.tokengate.observability.Tracing;
import io.tokengate.routing.PoolWaker;
import io.tokengate.sim.Simulator;
import io.tokengate.storage.RedisConnection;
import io.tokengate.tenant.TenantDirectory;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What tokengate has, how prose names it, and where the code shows it. A feature is present when all of its
 * evidence is. Words are matched case-insensitively; keep them specific, so that a sentence about something
 * missing can mention its context without naming an existing feature by accident.
 */
record Features() {
    record Feature(String name, Pattern mention, List<Evidence> evidence) {
        boolean present() {
            return evidence.stream().allMatch(Evidence::present);
        }
    }

    static final List<Feature> ALL = List.of(
            feature("circuit breakers", "\\bbreakers?\\b|circuit.break",
                    type("io.tokengate.upstream.EndpointGuards"), key("tokengate.pools.*.breaker.failure-ratio")),
            feature("active health checks", "health.?checks?|health.?probes?",
                    type(HealthProber.class), key("tokengate.pools.*.health.interval")),
            feature("retries", "\\bretr(y|ies)\\b",
                    type("io.tokengate.upstream.RetryBudget"), key("tokengate.pools.*.retry.max-retries")),
            feature("balancers", "balanc(er|ers|ing)\\b|least.in.flight|round.robin|power of two|prefix.affinity",
                    type("io.tokengate.routing.LeastInFlight"), type("io.tokengate.routing.WeightedRoundRobin"),
                    type("io.tokengate.routing.PrefixAffinity"), key("tokengate.pools.*.balancer")),
            feature("fallback pools", "fallbacks?|fail.?over", key("tokengate.models.*.pools"),
                    key("tokengate.models.*.upstream-models")),
            feature("passive ejection", "ejection|outlier detection", key("tokengate.pools.*.ejection.consecutive-failures")),
            feature("per-pool timeouts", "\\btimeouts?\\b", key("tokengate.pools.*.timeouts.first-token")),
            feature("scale to zero", "scal(e|ed|ing) to zero|zero replicas|cold pools?|wake.?up",
                    type(PoolWaker.class), key("tokengate.pools.*.wake.url")),
            feature("metrics", "\\bmetrics\\b|prometheus", type(GatewayMetrics.class), key("tokengate.metrics.enabled")),
            feature("traces", "\\btrac(es|ing)\\b|\\bspans?\\b|opentelemetry", type(Tracing.class),
                    type("io.opentelemetry.api.trace.Tracer")),
            feature("access log", "access.?log", type(AccessLog.class), key("tokengate.access-log.enabled")),
            feature("dashboards and alerts", "grafana|dashboards?|alert(ing)? rules?",
                    file("infra/observability/grafana/tokengate-dashboard.json"),
                    file("infra/observability/prometheus/tokengate-alerts.yaml")),
            feature("Kubernetes delivery", "kubernetes|\\bk8s\\b|kustomiz", file("infra/k8s/base/kustomization.yaml")),
            feature("Knative", "knative", file("infra/k8s/overlays/knative/service.yaml")),
            feature("autoscaling", "autoscal|\\bhpa\\b", file("infra/k8s/overlays/autoscaling/hpa.yaml")),
            feature("container images", "docker|container images?", file("src/main/docker/Dockerfile.jvm")),
            feature("native image", "native.?image|native executable|graalvm|mandrel",
                    file("src/main/docker/Dockerfile.native-micro")),
            feature("AOT cache", "\\baot\\b|cold.start", file("infra/aot/train.sh")),
            feature("graceful shutdown", "graceful|draining", type(Draining.class)),
            feature("shared state in Redis", "\\bredis\\b|stateless replicas|shared state",
                    type(RedisConnection.class), key("tokengate.storage.redis-url")),
            feature("Redis Sentinel and Cluster", "sentinel|redis cluster", key("tokengate.storage.redis-mode"),
                    key("tokengate.storage.redis-master-name")),
            feature("token budgets", "\\bbudgets?\\b|\\bquotas?\\b", type(BudgetGate.class), type("io.tokengate.tenant.Limits")),
            feature("rate limits", "rate.?limit|(requests|tokens).per.minute|\\b(rpm|tpm)\\b|concurrency limits?",
                    type(BudgetGate.class), key("tokengate.limits.tenant-defaults.requests-per-minute")),
            feature("rate-limit headers", "x-ratelimit", type(RateLimitHeaders.class)),
            feature("API keys", "api.?keys?", type(ApiKeys.class)),
            feature("OIDC tokens", "\\boidc\\b|openid|\\bjwts?\\b|identity providers?",
                    type("io.tokengate.auth.TokenAuthenticator"), key("tokengate.auth.shared-issuer")),
            feature("tenants and entitlements", "entitlements?|multi.?tenan", type(TenantDirectory.class)),
            feature("admin API", "admin api|management api", type(TenantsResource.class)),
            feature("usage ledger", "ledger|usage api|usage records?", type(UsageResource.class), type(UsageLedger.class)),
            feature("streaming", "\\bsse\\b|server.sent events|streaming", type("io.tokengate.relay.StreamRelay")),
            feature("chat completions", "chat.?completions", route("POST /v1/chat/completions")),
            feature("embeddings", "embeddings?", route("POST /v1/embeddings")),
            feature("HTTP/2 upstreams", "\\bh2c\\b|http/2", key("tokengate.pools.*.http-version")),
            feature("body size limit", "body.?size|max.?body|request_too_large", key("tokengate.limits.max-body-bytes")),
            feature("inference simulator", "simulator", type(Simulator.class)),
            feature("benchmark", "benchmark|load.?test", file("infra/loadtest/bench.sh")));

    private static Feature feature(String name, String mention, Evidence... evidence) {
        return new Feature(name, Pattern.compile(mention, Pattern.CASE_INSENSITIVE), List.of(evidence));
    }
}
