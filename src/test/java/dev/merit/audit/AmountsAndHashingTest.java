package dev.merit.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.merit.problem.ProblemException;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.IntRange;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Token amounts as people write them, and the canonical JSON content hashes are taken over. */
class AmountsAndHashingTest {

    @Example
    void tokensParseToExactBaseUnits() {
        assertThat(TokenAmounts.parse("budget", "12.5", 18)).isEqualTo(new BigInteger("12500000000000000000"));
        assertThat(TokenAmounts.parse("budget", " 7 ", 0)).isEqualTo(BigInteger.valueOf(7));
        assertThat(TokenAmounts.parse("budget", "0.000001", 6)).isEqualTo(BigInteger.ONE);
        assertThat(TokenAmounts.parse("budget", "1.50", 1)).as("trailing zeros are not decimals").isEqualTo(BigInteger.valueOf(15));
        assertThat(TokenAmounts.parse("budget", null, 18)).isNull();
    }

    @Example
    void signsExponentsSeparatorsExtraDecimalsAndTooMuchAreRefusedNamingTheField() {
        for (String bad : new String[] {"-1", "+1", "1e3", "1,000", "", ".5", "5.", "0x10"}) {
            assertThatThrownBy(() -> TokenAmounts.parse("budgetTokens", bad, 18)).as(bad)
                    .isInstanceOf(ProblemException.class).hasMessageContaining("budgetTokens must be a decimal number");
        }
        assertThatThrownBy(() -> TokenAmounts.parse("cap", "0.0000001", 6))
                .hasMessage("cap has more decimal places than the token's 6: \"0.0000001\". The smallest amount is 0.000001 tokens.");
        BigInteger max = TokenAmounts.MAX_BASE_UNITS;
        assertThat(max).isEqualTo(BigInteger.TWO.pow(128).subtract(BigInteger.ONE));
        assertThat(TokenAmounts.parse("x", max.toString(), 0)).isEqualTo(max);
        assertThatThrownBy(() -> TokenAmounts.parse("x", max.add(BigInteger.ONE).toString(), 0))
                .hasMessageContaining("x is " + max.add(BigInteger.ONE) + " tokens, more than the vault can account");
        String hundred = "x".repeat(100);
        assertThatThrownBy(() -> TokenAmounts.parse("x", hundred, 0)).hasMessageEndingWith("got \"" + hundred + "\".");
        String longText = "9".repeat(120);
        assertThatThrownBy(() -> TokenAmounts.parse("x", longText, 0)).hasMessageContaining("9".repeat(100) + "...\"")
                .hasMessageNotContaining("9".repeat(101));
    }

    @Example
    void requireFitsRefusesOnlyAboveTheVaultsLimit() {
        TokenAmounts.requireFits("total", TokenAmounts.MAX_BASE_UNITS, 18);
        TokenAmounts.requireFits("total", null, 18);
        assertThatThrownBy(() -> TokenAmounts.requireFits("total", TokenAmounts.MAX_BASE_UNITS.add(BigInteger.ONE), 0))
                .isInstanceOf(ProblemException.class).hasMessageStartingWith("total is more than the vault can account");
    }

    @Property(tries = 300)
    void formatThenParseIsTheIdentity(@ForAll @BigRange(min = "0", max = "1000000000000000000000000000") BigInteger base,
                                      @ForAll @IntRange(min = 0, max = 24) int decimals) {
        String text = TokenAmounts.format(base, decimals);
        assertThat(text).doesNotContain("E").doesNotEndWith(".");
        if (text.contains(".")) {
            assertThat(text).doesNotEndWith("0");
        }
        assertThat(TokenAmounts.parse("x", text, decimals)).isEqualTo(base);
    }

    @Example
    void formatWritesWholeTokensWithoutTrailingZeros() {
        assertThat(TokenAmounts.format(new BigInteger("1000000000000000000000"), 18)).isEqualTo("1000");
        assertThat(TokenAmounts.format(new BigInteger("500000000000000000"), 18)).isEqualTo("0.5");
        assertThat(TokenAmounts.format(null, 18)).isNull();
    }

    record Request(@JsonDeserialize(using = TokenText.class) String amount) {
    }

    @Example
    void requestAmountsAreStringsNeverNumbers() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readValue("{\"amount\":\"12.5\"}", Request.class).amount()).isEqualTo("12.5");
        assertThatThrownBy(() -> json.readValue("{\"amount\":12.5}", Request.class))
                .hasMessageContaining("an amount must be a JSON string of whole tokens");
        assertThatThrownBy(() -> json.readValue("{\"amount\":5000}", Request.class))
                .hasMessageContaining("not a number");
    }

    @Example
    void canonicalJsonSortsKeysWritesExactNumbersAsPlainStringsAndNoWhitespace() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("b", new BigDecimal("1E-6"));
        value.put("a", new BigInteger("123456789012345678901234567890"));
        value.put("c", Map.of("z", 1, "y", Instant.parse("2020-01-02T03:04:05Z")));
        record R(String zeta, String alpha) {
        }
        value.put("d", new R("z", "a"));
        assertThat(CanonicalJson.write(value)).isEqualTo("{\"a\":\"123456789012345678901234567890\",\"b\":\"0.000001\","
                + "\"c\":{\"y\":\"2020-01-02T03:04:05Z\",\"z\":1},\"d\":{\"alpha\":\"a\",\"zeta\":\"z\"}}");
        assertThat(CanonicalJson.write(new BigDecimal("1.50"))).isEqualTo("\"1.50\"");
    }

    @Example
    void hashesAreSha256OfTheCanonicalUtf8Bytes() {
        // FIPS 180-2's test vector for "abc"
        assertThat(CanonicalJson.sha256("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(CanonicalJson.hash(Map.of("k", "é"))).isEqualTo(CanonicalJson.sha256("{\"k\":\"é\"}"));
        assertThatThrownBy(() -> CanonicalJson.write(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not serialisable");
    }
}
