package io.tokengate.auth;

import io.smallrye.mutiny.Uni;
import io.tokengate.config.IssuerPolicy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Reads an issuer's OpenID discovery document ({@code <issuer>/.well-known/openid-configuration}) and returns its
 * signing-key URL ({@code jwks_uri}) once {@link IssuerPolicy} allows it: same host as the issuer (or an allowed
 * one), https unless insecure issuers are allowed. quarkus-oidc then gets that URL with its own discovery off, so
 * it contacts nothing else: a tenant's issuer cannot send the gateway to another host. No redirects are followed;
 * the document is read up to {@value #MAX_BYTES} bytes within {@value #TIMEOUT_MILLIS} ms.
 */
@Singleton
class IssuerDiscovery {
    static final int MAX_BYTES = 64 * 1024;
    static final long TIMEOUT_MILLIS = 5000;

    private final HttpClient client;
    private final IssuerPolicy policy;

    @Inject
    IssuerDiscovery(Vertx vertx, IssuerPolicy policy) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MILLIS)
                .setMaxPoolSize(4));
        this.policy = policy;
    }

    /** The issuer's allowed key URL; fails when the issuer or its document breaks the rule, or cannot be read. */
    Uni<String> keysUrl(String issuer) {
        if (policy.problem(issuer).isPresent()) {
            return Uni.createFrom().failure(new Refused("issuer not allowed"));
        }
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(documentUrl(issuer))
                .setFollowRedirects(false).setIdleTimeout(TIMEOUT_MILLIS).putHeader("accept", "application/json");
        Future<String> keys = client.request(request).compose(r -> r.send()).compose(IssuerDiscovery::document)
                .map(body -> allowedKeys(issuer, body));
        return Uni.createFrom().completionStage(keys.toCompletionStage());
    }

    private static String documentUrl(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return base + "/.well-known/openid-configuration";
    }

    private String allowedKeys(String issuer, Buffer body) {
        Object keys = new JsonObject(body).getValue("jwks_uri");
        if (!(keys instanceof String url) || !policy.keysAllowed(issuer, url)) {
            throw new Refused("jwks_uri missing or not allowed");
        }
        return url;
    }

    /** The body of a 200 answer, at most {@link #MAX_BYTES}. */
    private static Future<Buffer> document(HttpClientResponse response) {
        if (response.statusCode() != 200) {
            return Future.failedFuture(new Refused("discovery answered " + response.statusCode()));
        }
        Promise<Buffer> done = Promise.promise();
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BYTES) {
                done.tryFail(new Refused("discovery document over " + MAX_BYTES + " bytes"));
                response.request().reset();
            } else {
                body.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(done::tryFail);
        response.endHandler(v -> done.tryComplete(body));
        return done.future();
    }

    /** The issuer or its discovery document breaks the rule (the message names no token and no claim). */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
