package dev.merit.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;

/**
 * Reads a token amount field of a request: a JSON string only. A JSON number is refused, because the sender's unit
 * cannot be told from it (5000 meant as tokens and read as base units is 5e-15 tokens) and because JSON numbers lose
 * digits past 2^53 in most clients.
 */
public class TokenText extends StdDeserializer<String> {

    public TokenText() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        return (String) ctxt.handleUnexpectedToken(String.class, p.currentToken(), p,
                "an amount must be a JSON string of whole tokens such as \"5000\" or \"12.5\", not %s: "
                        + "numbers are refused so that no unit is guessed and no digit is lost", words(p.currentToken()));
    }

    private static String words(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "true or false";
            case VALUE_NULL -> "null";
            case START_ARRAY -> "a list";
            case START_OBJECT -> "an object";
            default -> "that";
        };
    }
}
