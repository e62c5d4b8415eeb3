package dev.merit.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Token amounts and scores as JSON strings: JavaScript numbers lose digits past 2^53, and a payroll must not.
 * BigDecimal in plain notation ("0.000001", never "1E-6").
 */
public final class ExactNumbers {

    private ExactNumbers() {
    }

    public static SimpleModule module() {
        return new SimpleModule("merit-exact-numbers")
                .addSerializer(BigInteger.class, ToStringSerializer.instance)
                .addSerializer(BigDecimal.class, new StdSerializer<>(BigDecimal.class) {
                    @Override
                    public void serialize(BigDecimal value, JsonGenerator gen, SerializerProvider provider)
                            throws IOException {
                        gen.writeString(value.toPlainString());
                    }
                });
    }
}
