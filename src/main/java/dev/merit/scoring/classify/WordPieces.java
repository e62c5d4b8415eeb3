package dev.merit.scoring.classify;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BERT's uncased word-piece tokenizer, as the vocabulary of the pretrained word vectors was made with it: control
 * characters dropped, CJK ideographs split apart, lower case without accents, split at white space and at every
 * punctuation mark, then each word cut greedily into the longest pieces the vocabulary holds ({@code ##} marks a piece
 * that continues a word). A word longer than 100 characters, or one no pieces make, is {@code [UNK]}. The same as the
 * Hugging Face tokenizer ({@code BertNormalizer}, {@code BertPreTokenizer}, {@code WordPiece}) for this vocabulary;
 * {@code WordVectorsTest} holds examples of it.
 */
final class WordPieces {

    private static final int MAX_WORD_CHARS = 100;
    private final Map<String, Integer> ids;
    private final String[] pieces;
    private final int unknown;

    /** {@code vocabulary}: the pieces, a piece's index being its id. */
    WordPieces(List<String> vocabulary) {
        this.pieces = vocabulary.toArray(String[]::new);
        this.ids = new HashMap<>(2 * pieces.length);
        for (int i = 0; i < pieces.length; i++) {
            ids.putIfAbsent(pieces[i], i);
        }
        Integer unk = ids.get("[UNK]");
        if (unk == null) {
            throw new IllegalArgumentException("the vocabulary has no [UNK] piece");
        }
        this.unknown = unk;
    }

    String piece(int id) {
        return pieces[id];
    }

    /** The ids of the text's pieces, at most {@code max} of them (the first). */
    int[] ids(String text, int max) {
        List<Integer> out = new ArrayList<>();
        for (String word : words(text)) {
            if (out.size() >= max) {
                break;
            }
            pieces(word, out);
        }
        int n = Math.min(max, out.size());
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = out.get(i);
        }
        return ids;
    }

    /** The normalised words and punctuation marks of the text, in order. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        // As the Hugging Face normaliser: decomposed, accents dropped, then each character lower-cased on its own (no
        // final-sigma rule), control characters other than tab and line breaks dropped.
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        for (int i = 0; i < decomposed.length(); ) {
            int c = decomposed.codePointAt(i);
            i += Character.charCount(c);
            if (c == 0 || c == 0xFFFD || Character.getType(c) == Character.NON_SPACING_MARK || isControl(c)) {
                continue;
            }
            c = Character.toLowerCase(c);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                flush(word, out);
            } else if (isPunctuation(c) || isCjk(c)) {
                flush(word, out);
                out.add(new String(Character.toChars(c)));
            } else {
                word.appendCodePoint(c);
            }
        }
        flush(word, out);
        return out;
    }

    private void pieces(String word, List<Integer> out) {
        if (word.codePointCount(0, word.length()) > MAX_WORD_CHARS) {
            out.add(unknown);
            return;
        }
        List<Integer> found = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer id = null;
            while (end > start) {
                String piece = (start > 0 ? "##" : "") + word.substring(start, end);
                id = ids.get(piece);
                if (id != null) {
                    break;
                }
                end = Character.isLowSurrogate(word.charAt(end - 1)) && end - 2 > start ? end - 2 : end - 1;
            }
            if (id == null) {
                out.add(unknown);
                return;
            }
            found.add(id);
            start = end;
        }
        out.addAll(found);
    }

    private static void flush(StringBuilder word, List<String> out) {
        if (!word.isEmpty()) {
            out.add(word.toString());
            word.setLength(0);
        }
    }

    private static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.SURROGATE || type == Character.UNASSIGNED;
    }

    private static boolean isPunctuation(int c) {
        if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    private static boolean isCjk(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }
}
