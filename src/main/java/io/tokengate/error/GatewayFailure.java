package io.tokengate.error;

import io.smallrye.mutiny.CompositeException;
import io.tokengate.storage.StoreUnavailable;

/** Carries a {@link GatewayError} through a failed {@code Uni}. No stack trace: these are expected outcomes. */
public final class GatewayFailure extends RuntimeException {
    private final transient GatewayError error;

    public GatewayFailure(GatewayError error) {
        super(error.toString(), null, false, false);
        this.error = error;
    }

    public GatewayError error() {
        return error;
    }

    /** The catalogued error of any throwable: a {@link GatewayFailure}'s own, else {@code Internal}. */
    public static GatewayError of(Throwable t) {
        if (t instanceof GatewayFailure f) {
            return f.error();
        }
        if (t instanceof CompositeException c) {
            for (Throwable cause : c.getCauses()) {
                if (cause instanceof GatewayFailure f) {
                    return f.error();
                }
            }
        }
        if (t instanceof StoreUnavailable) {
            return new GatewayError.StoreUnavailable("shared store");
        }
        return new GatewayError.Internal(String.valueOf(t));
    }
}
