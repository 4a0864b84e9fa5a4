package io.tokengate.sim;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * The life of one {@code /v1} POST: it ends exactly once, as completed, error (5xx or a deliberate cut) or aborted
 * (the caller went away first), and counts itself accordingly; it is {@code in_flight} from its creation until
 * then. Confined to the connection's event loop.
 */
final class Exchange {

    private static final Runnable NOTHING = () -> { };

    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final SimCounters counters;
    private boolean done;
    private Runnable onAbort = NOTHING;

    /** Counts one streamed content token (the back-pressure tests watch this). */
    void streamedToken() {
        counters.streamedToken();
    }

    Exchange(HttpServerRequest request, SimCounters counters) {
        this.request = request;
        this.response = request.response();
        this.counters = counters;
        counters.started();
        response.closeHandler(v -> abort());
        response.exceptionHandler(e -> abort());
    }

    HttpServerRequest request() {
        return request;
    }

    HttpServerResponse response() {
        return response;
    }

    boolean isDone() {
        return done;
    }

    /** What to cancel (a timer) when the caller goes away. */
    void onAbort(Runnable cancel) {
        this.onAbort = cancel;
    }

    /** The caller closed the connection or reset the stream before the response ended. */
    void abort() {
        if (done) {
            return;
        }
        markDone();
        counters.aborted();
        onAbort.run();
    }

    void sendJson(int status, Buffer body) {
        send(status, Replies.APPLICATION_JSON, body);
    }

    void sendError(int status, String message, String code) {
        sendJson(status, Replies.errorBody(message, Replies.typeFor(status), null, code));
    }

    void send(int status, CharSequence contentType, Buffer body) {
        if (finish(status)) {
            response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(body);
        }
    }

    /** Ends a response whose head and body parts were already written. */
    void end(Buffer last) {
        if (finish(response.getStatusCode())) {
            response.end(last);
        }
    }

    /** Announces the whole JSON {@code body} but writes only its first half, then closes the connection. */
    void sendTruncated(Buffer body) {
        if (done) {
            return;
        }
        response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, Replies.APPLICATION_JSON)
                .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
        cut(response.write(body.getBuffer(0, body.length() / 2)));
    }

    /** Closes the connection (resets the stream on HTTP/2) once {@code lastWrite} reached the wire. */
    void cut(Future<Void> lastWrite) {
        if (done) {
            return;
        }
        markDone();
        counters.error();
        lastWrite.onComplete(ar -> closeAbruptly());
    }

    private void closeAbruptly() {
        if (request.version() == HttpVersion.HTTP_2) {
            response.reset();
        } else {
            request.connection().close();
        }
    }

    private boolean finish(int status) {
        if (done) {
            return false;
        }
        markDone();
        if (status >= 500) {
            counters.error();
        } else {
            counters.completed();
        }
        return true;
    }

    private void markDone() {
        done = true;
        counters.ended();
    }
}
