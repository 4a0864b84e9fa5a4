package io.tokengate.request;

/** The client side's "stop": set once the client went away, so that work on its behalf stops too. */
public interface CancelSignal {

    /** Runs {@code action} when the client goes away (at once if it already did); replaces the previous one. */
    void onCancel(Runnable action);

    /** True once the client went away. */
    boolean cancelled();
}
