package io.tokengate.readme;

import io.tokengate.readme.Features.Feature;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The statements of an overview that say something is absent, and the existing features they name. A statement is
 * a paragraph or a list item: all of it when it stands under a heading that speaks of absence ("Not there yet"),
 * otherwise each of its sentences that does ("Not yet (tracked as open issues): breakers, ...").
 */
final class OverviewClaims {
    static final Pattern ABSENCE = Pattern.compile("\\bnot (\\w+ )?yet\\b|\\bnot (currently )?supported\\b|\\bunsupported\\b"
            + "|\\btracked as (an )?open issues?\\b|\\bopen issues?\\b|\\bplanned\\b|\\bcoming soon\\b|\\btodo\\b|\\broadmap\\b"
            + "|\\b(does|do|can)( ?not|n't) (yet )?(support|have|offer|provide)\\b|\\bno support for\\b|\\b(is|are) missing\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ITEM = Pattern.compile("^\\s{0,3}([-*+]|\\d+\\.)\\s.*");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z*`(\\[])");

    private OverviewClaims() {}

    /** One statement that something is absent, and a feature it names although the code has it. */
    record FalseAbsence(Feature feature, String statement) {
        @Override
        public String toString() {
            return "the overview says '" + feature.name() + "' is not there (\"" + statement + "\"), but the code has it: "
                    + feature.evidence() + ". Remove the claim, or name what is really missing without naming the feature.";
        }
    }

    /** Every statement of absence in {@code overview} that names a feature the code has. */
    static List<FalseAbsence> falseAbsences(List<String> overview, List<Feature> features) {
        List<FalseAbsence> found = new ArrayList<>();
        for (String statement : absences(overview)) {
            features.stream().filter(f -> f.mention().matcher(statement).find()).filter(Feature::present)
                    .forEach(f -> found.add(new FalseAbsence(f, statement)));
        }
        return found;
    }

    /** The statements of {@code overview} (Markdown lines) that say something is absent. */
    static List<String> absences(List<String> overview) {
        List<String> statements = new ArrayList<>();
        boolean absentSection = false;
        boolean fenced = false;
        StringBuilder block = new StringBuilder();
        for (String line : overview) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            boolean heading = line.startsWith("#");
            if (heading || line.isBlank() || ITEM.matcher(line).matches()) {
                flush(block, absentSection, statements);
            }
            if (heading) {
                absentSection = ABSENCE.matcher(line).find();
            } else if (!line.isBlank()) {
                block.append(block.isEmpty() ? "" : " ").append(line.strip());
            }
        }
        flush(block, absentSection, statements);
        return statements;
    }

    private static void flush(StringBuilder block, boolean absentSection, List<String> statements) {
        String text = block.toString();
        block.setLength(0);
        if (text.isEmpty()) {
            return;
        }
        if (absentSection) {
            statements.add(text);
            return;
        }
        for (String sentence : SENTENCE_END.split(text)) {
            if (ABSENCE.matcher(sentence).find()) {
                statements.add(sentence);
            }
        }
    }
}
