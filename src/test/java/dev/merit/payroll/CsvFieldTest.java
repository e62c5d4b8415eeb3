package dev.merit.payroll;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A payout CSV cell never reaches a spreadsheet as a formula, and never splits its row. */
class CsvFieldTest {

    @Test
    void formulasAreTextAndLineBreaksStayInTheirCell() {
        for (String lead : new String[]{"=", "+", "-", "@", "\t", "\r"}) {
            String name = lead + "HYPERLINK(\"https://evil.example\",\"Claim pay\u2028\")";
            assertThat(ProposalResource.csvField(name)).as("%s", lead.codePointAt(0)).startsWith("\"'" + lead);
            String plain = lead + "1+1\u2029";
            assertThat(ProposalResource.csvField(plain)).as("%s", lead.codePointAt(0)).contains("'" + lead);
        }
        assertThat(ProposalResource.csvField("Ada\rLovelace")).isEqualTo("\"Ada\rLovelace\"");
        assertThat(ProposalResource.csvField("Ada \"the\" Lovelace, PhD")).isEqualTo("\"Ada \"\"the\"\" Lovelace, PhD\"");
        assertThat(ProposalResource.csvField("Ada Lovelace")).isEqualTo("Ada Lovelace");
        assertThat(ProposalResource.csvField(null)).isEmpty();
        assertThat(ProposalResource.csvField("")).isEmpty();
    }
}
