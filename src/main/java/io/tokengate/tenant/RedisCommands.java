package io.tokengate.tenant;

import io.smallrye.mutiny.Uni;
import io.tokengate.storage.RedisConnection;
import io.tokengate.storage.RedisConnection.Script;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The few Redis commands the tenant store uses, typed. Every one touches a single key, so each is atomic on its
 * own and safe on Redis Cluster; {@link #CAS} is the one script (compare-and-set on one key).
 */
final class RedisCommands {
    static final Script CAS = Script.of("tg_cas_v1", """
            -- tg_cas_v1: set KEYS[1] to ARGV[2] (delete it when ARGV[2] is empty) only while it holds ARGV[1]
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then
              return 0
            end
            if ARGV[2] == '' then
              redis.call('DEL', KEYS[1])
            else
              redis.call('SET', KEYS[1], ARGV[2])
            end
            return 1
            """);

    private final RedisConnection redis;

    RedisCommands(RedisConnection redis) {
        this.redis = redis;
    }

    Uni<String> get(String key) {
        return redis.send(Request.cmd(Command.GET).arg(key)).map(RedisCommands::text);
    }

    /** The values of many keys (null where absent), pipelined: no multi-key command, so Cluster-safe. */
    Uni<List<String>> getAll(List<String> keys) {
        return redis.batch(keys.stream().map(key -> Request.cmd(Command.GET).arg(key)).toList())
                .map(replies -> replies.stream().map(RedisCommands::text).toList());
    }

    Uni<Boolean> setIfAbsent(String key, String value) {
        return redis.send(Request.cmd(Command.SET).arg(key).arg(value).arg("NX")).map(reply -> reply != null);
    }

    Uni<Boolean> setIfPresent(String key, String value) {
        return redis.send(Request.cmd(Command.SET).arg(key).arg(value).arg("XX")).map(reply -> reply != null);
    }

    Uni<Boolean> compareAndSet(String key, String expected, String replacement) {
        return redis.eval(CAS, List.of(key), List.of(expected, replacement)).map(reply -> reply.toInteger() == 1);
    }

    Uni<Boolean> compareAndDelete(String key, String expected) {
        return compareAndSet(key, expected, "");
    }

    Uni<Boolean> exists(String key) {
        return redis.send(Request.cmd(Command.EXISTS).arg(key)).map(reply -> reply.toInteger() > 0);
    }

    Uni<Boolean> delete(String key) {
        return redis.send(Request.cmd(Command.DEL).arg(key)).map(reply -> reply.toInteger() > 0);
    }

    Uni<Void> addMember(String set, String member) {
        return redis.send(Request.cmd(Command.SADD).arg(set).arg(member)).replaceWithVoid();
    }

    Uni<Void> removeMember(String set, String member) {
        return redis.send(Request.cmd(Command.SREM).arg(set).arg(member)).replaceWithVoid();
    }

    Uni<List<String>> members(String set) {
        return redis.send(Request.cmd(Command.SMEMBERS).arg(set)).map(reply -> {
            List<String> members = new ArrayList<>();
            if (reply != null) {
                reply.forEach(member -> members.add(member.toString()));
            }
            return members;
        });
    }

    Uni<Void> publish(String channel, String message) {
        return redis.send(Request.cmd(Command.PUBLISH).arg(channel).arg(message)).replaceWithVoid();
    }

    private static String text(Response reply) {
        return reply == null ? null : reply.toString();
    }
}
