package io.tokengate.testing.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A JSON object written member by member from raw value text, so members may repeat, be mistyped or hold any bytes. */
public final class JsonBody {
    private final List<Member> members = new ArrayList<>();

    private record Member(byte[] name, byte[] value) {}

    /** Replaces the first member named {@code name}, or appends one. */
    public JsonBody set(String name, String rawValue) {
        byte[] key = utf8(name);
        for (int i = 0; i < members.size(); i++) {
            if (Arrays.equals(members.get(i).name, key)) {
                members.set(i, new Member(key, utf8(rawValue)));
                return this;
            }
        }
        return add(name, rawValue);
    }

    /** Appends a member even if one of that name exists (a duplicate key). */
    public JsonBody add(String name, String rawValue) {
        return addRaw(utf8(name), utf8(rawValue));
    }

    /** Puts a member first (a duplicate key that the scanner meets before the original). */
    public JsonBody prepend(String name, String rawValue) {
        members.addFirst(new Member(utf8(name), utf8(rawValue)));
        return this;
    }

    /** Appends the members of {@code defaults} whose names this body lacks. */
    public JsonBody withDefaults(JsonBody defaults) {
        for (Member m : defaults.members) {
            if (members.stream().noneMatch(own -> Arrays.equals(own.name, m.name))) {
                members.add(m);
            }
        }
        return this;
    }

    /** Appends a member whose name and value are given as bytes (invalid UTF-8 included). */
    public JsonBody addRaw(byte[] name, byte[] rawValue) {
        members.add(new Member(name, rawValue));
        return this;
    }

    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('{');
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write('"');
            out.writeBytes(members.get(i).name);
            out.writeBytes(utf8("\":"));
            out.writeBytes(members.get(i).value);
        }
        out.write('}');
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
