package io.tokengate.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * README.md as the tests read it: its overview (everything above {@code ## Quick start}), its sections by heading
 * and the fenced code blocks in them. The file is {@code README.md} of the project, or the one named by the system
 * property {@code tokengate.readme} (to check another text, e.g. an older README).
 */
record Readme(List<String> lines) {
    static final String QUICK_START = "## Quick start";

    static Readme load() {
        Path path = Path.of(System.getProperty("tokengate.readme", "README.md"));
        try {
            return new Readme(Files.readAllLines(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path.toAbsolutePath(), e);
        }
    }

    static Readme of(String text) {
        return new Readme(text.lines().toList());
    }

    /** The lines above the {@code ## Quick start} heading. */
    List<String> overview() {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(QUICK_START)) {
                return lines.subList(0, i);
            }
        }
        throw new AssertionError("README has no '" + QUICK_START + "' heading: the overview is what precedes it");
    }

    /** The lines of the {@code ## } section whose heading starts with {@code heading}, heading excluded. */
    List<String> section(String heading) {
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (start >= 0 && line.startsWith("## ")) {
                return lines.subList(start, i);
            }
            if (start < 0 && line.startsWith("## " + heading)) {
                start = i + 1;
            }
        }
        if (start < 0) {
            throw new AssertionError("README has no section '## " + heading + "'");
        }
        return lines.subList(start, lines.size());
    }

    /** The fenced code blocks of {@code language} in {@code section}, each as its text. */
    static List<String> codeBlocks(List<String> section, String language) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : section) {
            if (block == null && line.strip().equals("```" + language)) {
                block = new StringBuilder();
            } else if (block != null && line.strip().equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        return blocks;
    }
}
