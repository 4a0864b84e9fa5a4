package io.tokengate.request;

import io.tokengate.error.Json;
import io.tokengate.request.ParsedRequest.BodyLayout;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Splices replacement bytes into the raw body; everything not patched is forwarded byte for byte. */
final class BodyPatcher {
    private BodyPatcher() {}

    private record Splice(int start, int end, String text) {}

    /**
     * {@code newModel} null keeps the model; {@code cacheSalt} null sets none. The cuts of {@code layout} are always
     * made; the cache salt goes first in the object, so no cut can touch it.
     */
    static byte[] patch(byte[] raw, BodyLayout layout, String newModel, boolean askForUsage, String cacheSalt) {
        int[] cuts = layout.cuts();
        List<Splice> splices = new ArrayList<>(3 + cuts.length / 2);
        if (cacheSalt != null) {
            int at = layout.objectStart() + 1;
            splices.add(new Splice(at, at, "\"cache_salt\":" + Json.quote(cacheSalt) + ","));
        }
        for (int i = 0; i < cuts.length; i += 2) {
            splices.add(new Splice(cuts[i], cuts[i + 1], ""));
        }
        if (newModel != null) {
            splices.add(new Splice(layout.modelStart(), layout.modelEnd(), Json.quote(newModel)));
        }
        if (askForUsage) {
            splices.add(usageSplice(layout));
        }
        return splices.isEmpty() ? raw : apply(raw, splices);
    }

    private static Splice usageSplice(BodyLayout layout) {
        if (layout.includeUsageStart() >= 0) {
            return new Splice(layout.includeUsageStart(), layout.includeUsageEnd(), "true");
        }
        if (layout.streamOptionsStart() >= 0) {
            int at = layout.streamOptionsStart() + 1;
            return new Splice(at, at, layout.streamOptionsEmpty() ? "\"include_usage\":true" : "\"include_usage\":true,");
        }
        int at = layout.objectStart() + 1;
        return new Splice(at, at, "\"stream_options\":{\"include_usage\":true},");
    }

    /** Applies disjoint splices in order of position; at one position, insertions (stable order) before a cut. */
    private static byte[] apply(byte[] raw, List<Splice> splices) {
        splices.sort(Comparator.comparingInt(Splice::start).thenComparingInt(Splice::end));
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 128);
        int at = 0;
        for (Splice s : splices) {
            out.write(raw, at, s.start() - at);
            out.writeBytes(s.text().getBytes(StandardCharsets.UTF_8));
            at = s.end();
        }
        out.write(raw, at, raw.length - at);
        return out.toByteArray();
    }
}
