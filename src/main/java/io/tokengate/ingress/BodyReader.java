package io.tokengate.ingress;

import io.smallrye.mutiny.Uni;
import io.tokengate.error.GatewayError;
import io.tokengate.error.GatewayFailure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** Reads a request body with a hard size limit, checked on Content-Length and again while bytes arrive. */
final class BodyReader {
    private BodyReader() {}

    static Uni<Buffer> read(HttpServerRequest request, long limit) {
        long declared = declaredLength(request);
        if (declared > limit) {
            return Uni.createFrom().failure(tooLarge(limit));
        }
        return Uni.createFrom().emitter(emitter -> {
            Buffer body = Buffer.buffer((int) Math.max(256, Math.min(declared, 65536)));
            request.handler(chunk -> {
                if (body.length() + chunk.length() > limit) {
                    emitter.fail(tooLarge(limit)); // later chunks are dropped: the emitter is done
                } else {
                    body.appendBuffer(chunk);
                }
            });
            request.exceptionHandler(emitter::fail);
            request.endHandler(v -> emitter.complete(body));
            request.resume();
        });
    }

    static long declaredLength(HttpServerRequest request) {
        String value = request.getHeader("content-length");
        try {
            return value == null ? -1 : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static GatewayFailure tooLarge(long limit) {
        return new GatewayFailure(new GatewayError.RequestTooLarge(limit));
    }
}
