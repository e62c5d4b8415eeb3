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

    /** Chinese, Japanese and Korean names take two columns a character in a terminal: the columns still line up. */
    @Test
    void wideNamesLineUp() {
        StringWriter out = new StringWriter();
        new Table("who", "score").row("\u674e\u96f7", "1.5").row("Benedict", "12.25").row("Jose\u0301", "3")
                .print(new PrintWriter(out, true));
        assertThat(out.toString().lines()).containsExactly(
                "who       score", "--------  -----", "\u674e\u96f7        1.5", "Benedict  12.25", "Jose\u0301" + " ".repeat(10) + "3");
        assertThat(Table.columns("\uc774\uc11c\uc5f0")).isEqualTo(6);
        assertThat(Table.columns("Ada")).isEqualTo(3);
        // Emoji: a rocket, a star, a thumb with a skin tone, a family joined by zero-width joiners: two columns each.
        assertThat(Table.columns("\ud83d\ude80")).isEqualTo(2);
        assertThat(Table.columns("\u2b50")).isEqualTo(2);
        assertThat(Table.columns("\ud83d\udc4d\ud83c\udffd")).isEqualTo(2);
        assertThat(Table.columns("\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67")).isEqualTo(2);
        // Cut by characters, never through one: an emoji is two chars in Java.
        assertThat(Table.shorten("ab\ud83d\ude00cd", 3)).isEqualTo("ab\u2026");
        assertThat(Table.shorten("a\ud83d\ude00cd", 4)).isEqualTo("a\ud83d\ude00\u2026");
        // By columns: four Chinese characters fill 8; cut to 5 columns, two of them and the ellipsis. An accent stays.
        assertThat(Table.shorten("\u674e\u96f7\u674e\u96f7", 5)).isEqualTo("\u674e\u96f7\u2026");
        assertThat(Table.shorten("Jose\u0301 Maria", 6)).isEqualTo("Jose\u0301 \u2026");
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
