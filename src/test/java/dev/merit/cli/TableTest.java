package dev.merit.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class TableTest {

    @Test
    void botsAreMarkedOnceAndNumbersAlignRight() {
        assertThat(Table.contributor("renovate", true)).isEqualTo("renovate [bot]");
        assertThat(Table.contributor("dependabot[bot]", true)).isEqualTo("dependabot[bot]");
        assertThat(Table.contributor("Ann", false)).isEqualTo("Ann");

        StringWriter out = new StringWriter();
        new Table("who", "score").row("Ann", "1.5").row("Benedict", "12.25").print(new PrintWriter(out, true));
        assertThat(out.toString().lines()).containsExactly(
                "who       score", "--------  -----", "Ann         1.5", "Benedict  12.25");
    }

    /** A name cannot move the terminal's cursor, erase the row above, hide the rest, or reverse what follows. */
    @Test
    void controlCharactersInANameArePrintedAsQuestionMarks() {
        StringWriter out = new StringWriter();
        new Table("who", "amount").row("Eve\u001b[1A\u001b[2K", "10").row("Mal\r\u202eyap", "20")
                .print(new PrintWriter(out, true));
        assertThat(out.toString()).doesNotContain("\u001b", "\r", "\u202e").contains("Eve?[1A?[2K", "Mal??yap");
        assertThat(Table.printable("Ada Lovelace")).isEqualTo("Ada Lovelace");
    }
}
