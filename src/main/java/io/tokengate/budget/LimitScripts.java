package io.tokengate.budget;

import io.tokengate.storage.RedisConnection.Script;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The limit store's Lua scripts, one per operation, read once from {@code io/tokengate/budget/*.lua} on the
 * classpath: the shared {@code limits.lua} followed by the operation's own file. Names carry a version: a
 * changed script gets a new name (and SHA-1), so two gateway versions can run side by side on one Redis (each runs
 * its own scripts by SHA-1; {@link RedisLimitStore} reads the replies of v1 too). v2: admit and extend reply the
 * budget state of every scope; settle is unchanged but for the shared prelude.
 */
final class LimitScripts {
    static final Script ADMIT = load("tg_admit_v2", "admit.lua");
    static final Script EXTEND = load("tg_extend_v2", "extend.lua");
    static final Script SETTLE = load("tg_settle_v2", "settle.lua");
    static final Script CHECK = load("tg_check_v1", "check.lua");

    private LimitScripts() {
    }

    private static Script load(String name, String file) {
        return Script.of(name, "-- " + name + "\n" + read("limits.lua") + "\n" + read(file));
    }

    static String read(String file) {
        try (InputStream in = LimitScripts.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("io/tokengate/budget/" + file + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read io/tokengate/budget/" + file, e);
        }
    }
}
