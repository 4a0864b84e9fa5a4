package io.tokengate.sim;

/**
 * A snapshot of the simulator's counters. Every finished {@code /v1} POST lands in exactly one of
 * {@code completed}, {@code aborted} or {@code errors}.
 *
 * @param requests {@code /v1} POST requests received
 * @param completed responses fully ended with a status below 500
 * @param aborted requests whose caller went away (connection closed, stream reset) before the response ended
 * @param errors responses ended with a 5xx status, and responses the simulator cut on purpose ({@code cut_after})
 */
public record SimulatorStats(long requests, long completed, long aborted, long errors) {
}
