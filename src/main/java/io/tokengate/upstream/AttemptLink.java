package io.tokengate.upstream;

import io.tokengate.request.UpstreamLink;
import io.tokengate.routing.Backend;
import io.vertx.core.http.HttpClientRequest;

/** The relay's handle on an answered attempt: its watchdog, its backend's fault count, its request and slot. */
final class AttemptLink implements UpstreamLink {
    private final Watchdog watchdog;
    private final Backend backend;
    private final HttpClientRequest request;
    private final Runnable releaser;

    AttemptLink(Watchdog watchdog, Backend backend, HttpClientRequest request, Runnable releaser) {
        this.watchdog = watchdog;
        this.backend = backend;
        this.request = request;
        this.releaser = releaser;
    }

    @Override
    public void chunkArrived() {
        watchdog.chunk();
    }

    @Override
    public void clientPaused() {
        watchdog.pause();
    }

    @Override
    public void clientResumed() {
        watchdog.resume();
    }

    @Override
    public void stopTimers() {
        watchdog.stop();
    }

    @Override
    public String expired() {
        Watchdog.Limit limit = watchdog.expired();
        return limit != null && limit.backendsFault() ? limit.label() : null;
    }

    @Override
    public boolean clientStalled() {
        return watchdog.expired() == Watchdog.Limit.CLIENT_STALL;
    }

    @Override
    public void broke() {
        backend.failed();
    }

    @Override
    public void cancel() {
        watchdog.stop();
        request.reset();
    }

    @Override
    public void release() {
        releaser.run();
    }
}
