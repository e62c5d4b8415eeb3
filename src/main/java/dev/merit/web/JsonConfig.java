package dev.merit.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.merit.audit.ExactNumbers;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Instant;


/** Exact numbers as strings ({@link ExactNumbers}); unknown request fields are errors, so typos are not ignored. */
@Singleton
public class JsonConfig implements ObjectMapperCustomizer {

    /** Applied last, after Quarkus's own customizers: its Java-time module must not replace {@link TextInstants}. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(ExactNumbers.module());
        // {"epochId": 1, "epochId": 2}: which one was meant? Refused, not guessed.
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        // {"epochId": 1}{"epochId": 2} or {...} followed by anything: a body is one JSON value, or it is refused.
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // Values of another kind are not converted: {"epochId": 1.9} would have proposed the payout of epoch 1, and
        // "tokenDecimals": 1.5 made an epoch of 1 decimal. A whole number written as text ("12") stays accepted.
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        // Text is written as text: {"name": true} made an epoch named "true", {"by": false} recorded "false" as who
        // merged, {"into": 1, "from": 2} merged two contributors.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // true or false, not 1, 0, "yes" or "true"
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        // A date and time is text ("2026-01-31T00:00:00Z"), not a count of seconds or milliseconds to guess the unit of
        // ("startsAt": 0 made an epoch from 1970).
        mapper.registerModule(new SimpleModule("merit-text-instants").addDeserializer(Instant.class, new TextInstants()));
        // A whole number written as text is ASCII digits and nothing else: Java's parser read "\uff11\uff12" and
        // Arabic-Indic digits as 12 and 35, and Jackson trims a trailing NUL ("12\u0000" was epoch 12).
        mapper.registerModule(new SimpleModule("merit-ascii-whole-numbers")
                .addDeserializer(Long.class, new AsciiWhole<>(Long.class,
                        new NumberDeserializers.LongDeserializer(Long.class, null), Long::valueOf))
                .addDeserializer(long.class, new AsciiWhole<>(Long.class,
                        new NumberDeserializers.LongDeserializer(Long.TYPE, 0L), Long::valueOf))
                .addDeserializer(Integer.class, new AsciiWhole<>(Integer.class,
                        new NumberDeserializers.IntegerDeserializer(Integer.class, null), Integer::valueOf))
                .addDeserializer(int.class, new AsciiWhole<>(Integer.class,
                        new NumberDeserializers.IntegerDeserializer(Integer.TYPE, 0), Integer::valueOf)));
    }

    /** A whole number: a JSON number as Jackson reads it, or text of ASCII digits (an optional minus) that fits. */
    static final class AsciiWhole<T extends Number> extends StdDeserializer<T> {

        private final transient com.fasterxml.jackson.databind.JsonDeserializer<T> numbers;
        private final transient java.util.function.Function<String, T> parse;

        AsciiWhole(Class<T> type, com.fasterxml.jackson.databind.JsonDeserializer<T> numbers,
                   java.util.function.Function<String, T> parse) {
            super(type);
            this.numbers = numbers;
            this.parse = parse;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext context) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return numbers.deserialize(p, context);
            }
            String text = p.getText();
            if (!text.matches("-?[0-9]+")) { // any length: more digits than fit is "too large", below
                return (T) context.handleWeirdStringValue(handledType(), text, "not a whole number in digits 0-9");
            }
            try {
                return parse.apply(text);
            } catch (NumberFormatException e) { // said as a JSON number out of range is: the field and the range
                throw new com.fasterxml.jackson.core.exc.InputCoercionException(p, "out of range",
                        JsonToken.VALUE_STRING, handledType());
            }
        }

        @Override
        public T getNullValue(DeserializationContext context) throws com.fasterxml.jackson.databind.JsonMappingException {
            return numbers.getNullValue(context);
        }
    }

    /** An instant written as ISO-8601 text, as every response writes it; anything else is the wrong type. */
    static final class TextInstants extends StdDeserializer<Instant> {

        TextInstants() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext context) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) context.handleUnexpectedToken(Instant.class, p);
            }
            String text = p.getText();
            if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) { // Jackson trims them: "12\u0000" was 12 seconds
                return (Instant) context.handleWeirdStringValue(Instant.class, text, "a control character in a date");
            }
            if (text.strip().matches("-?\\d+(\\.\\d*)?")) {
                // "0" in quotes is still a count of seconds, not a date and time
                return (Instant) context.handleWeirdStringValue(Instant.class, p.getText(), "a number is not a date");
            }
            return InstantDeserializer.INSTANT.deserialize(p, context);
        }
    }
}
