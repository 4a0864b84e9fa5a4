package io.tokengate.sim;

import com.fasterxml.jackson.databind.JsonNode;

/** Prompt token estimates: about four UTF-8 bytes a token, plus three tokens of framing per chat message. */
final class PromptTokens {

    private static final int PER_MESSAGE = 3;

    private PromptTokens() {
    }

    /** {@code messages}: ceil(bytes of every content string / 4) + 3 per message. */
    static int chat(JsonNode messages) {
        if (messages == null || !messages.isArray()) {
            return 0;
        }
        long bytes = 0;
        for (JsonNode message : messages) {
            bytes += contentBytes(message.get("content"));
        }
        return ofBytes(bytes) + PER_MESSAGE * messages.size();
    }

    /** {@code prompt}: a string, an array of strings, an array of token ids or an array of such arrays. */
    static int completion(JsonNode prompt) {
        if (prompt == null) {
            return 0;
        }
        if (prompt.isTextual()) {
            return ofText(prompt.textValue());
        }
        int tokens = 0;
        for (JsonNode part : prompt) {
            tokens += part.isTextual() ? ofText(part.textValue()) : part.isArray() ? part.size() : 1;
        }
        return tokens;
    }

    static int ofText(String text) {
        return ofBytes(utf8Length(text));
    }

    static int ofBytes(long bytes) {
        return (int) ((bytes + 3) / 4);
    }

    /** Content is a string or an array of parts, of which those with {@code text} count. */
    private static long contentBytes(JsonNode content) {
        if (content == null) {
            return 0;
        }
        if (content.isTextual()) {
            return utf8Length(content.textValue());
        }
        long bytes = 0;
        for (JsonNode part : content) {
            JsonNode text = part.get("text");
            bytes += text != null && text.isTextual() ? utf8Length(text.textValue()) : 0;
        }
        return bytes;
    }

    /** UTF-8 length without encoding. */
    static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x800) {
                bytes += 2; // 3 bytes, or 4 for a surrogate pair (whose low half is skipped)
                i += Character.isHighSurrogate(c) ? 1 : 0;
            } else if (c >= 0x80) {
                bytes += 1;
            }
        }
        return bytes;
    }
}
