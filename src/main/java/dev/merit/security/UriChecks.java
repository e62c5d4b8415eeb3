package dev.merit.security;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What is wrong with a request's URI before any route reads it, in words: a path segment with a ';' (a matrix
 * parameter, which the router drops, so {@code DELETE /api/epochs/4;x} deleted epoch 4), or a percent-escape that is
 * not one or does not spell UTF-8 ({@code ?by=%FF%FE} was recorded as "��" for who decided; {@code %ZZ} got a bare
 * 400). Merit's paths and parameters never need either.
 */
final class UriChecks {

    private UriChecks() {
    }

    /** Why {@code uri} (as sent: path and query, still escaped) is refused, or null when it is fine. */
    static String problem(String sent) {
        String uri = sent.split("#", 2)[0]; // a fragment a client should not have sent is not the query's
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        if (path.indexOf(';') >= 0) {
            return "The path has a ';' (" + clip(path) + "): Merit's paths take no parameters after one. Send the "
                    + "path alone, with its values as ?name=value.";
        }
        String wrong = undecodable(path);
        if (wrong == null && q >= 0) {
            for (String part : uri.substring(q + 1).split("[&=]")) {
                wrong = undecodable(part.replace('+', ' '));
                if (wrong != null) {
                    break;
                }
            }
        }
        return wrong;
    }

    /** Why the escaped text does not decode, or null: each '%' followed by two hex digits, the bytes UTF-8. */
    private static String undecodable(String escaped) {
        if (escaped.indexOf('%') < 0) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.allocate(escaped.length() * 4);
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '%') {
                if (i + 2 >= escaped.length() || Character.digit(escaped.charAt(i + 1), 16) < 0
                        || Character.digit(escaped.charAt(i + 2), 16) < 0) {
                    return "The URI has a '%' that is not followed by two hexadecimal digits (" + clip(escaped)
                            + "): write a '%' itself as %25.";
                }
                bytes.put((byte) Integer.parseInt(escaped.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return null;
        } catch (CharacterCodingException e) {
            return "The URI's escapes do not spell UTF-8 text (" + clip(escaped) + "): escape each character's UTF-8 "
                    + "bytes (é is %C3%A9).";
        }
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
