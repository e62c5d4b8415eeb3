package dev.merit.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.merit.audit.ExactNumbers;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;


/** Exact numbers as strings ({@link ExactNumbers}); unknown request fields are errors, so typos are not ignored. */
@Singleton
public class JsonConfig implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(ExactNumbers.module());
        // {"epochId": 1, "epochId": 2}: which one was meant? Refused, not guessed.
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
