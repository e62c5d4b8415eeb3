package dev.merit.audit;

import dev.merit.problem.ProblemException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Half a character (an unpaired UTF-16 surrogate) is never stored: refused from a person, replaced from a source. */
class TextRulesTest {

    @Test
    void halfACharacterIsRefusedInRecordedTextAndReplacedInStoredText() {
        assertThatThrownBy(() -> RecordedText.name("name", "pay \uD800 day", null)).isInstanceOf(ProblemException.class)
                .hasMessageContaining("half of a character");
        assertThatThrownBy(() -> RecordedText.prose("reason", "\uDC00", 100, null)).isInstanceOf(ProblemException.class);
        assertThat(RecordedText.name("name", "pay \uD83D\uDCB0 day", null)).isEqualTo("pay \uD83D\uDCB0 day");

        assertThat(StoredText.clean("a\uD800b\uDC00c\u0000")).isEqualTo("a\uFFFDb\uFFFDc");
        assertThat(StoredText.clean("\uD83D\uDCB0")).isEqualTo("\uD83D\uDCB0");
        assertThat(StoredText.clean("ends \uD800")).isEqualTo("ends \uFFFD");
        // A title from a forge shows as written: no override turns it around on a page.
        assertThat(StoredText.fit("fix: \u202Egnp.exe\u202C ok \u2067x\u2069", 100)).isEqualTo("fix: gnp.exe ok x");
    }

    @Test
    void textWithNothingToSeeIsRefused() {
        for (String blank : new String[]{"\u00a0", "\u00a0\u00a0", "\u3164", "\u2800", "\u0301",
                "\uDB40\uDC41\uDB40\uDC42", "\u115F\u1160", "\u200b"}) {
            assertThatThrownBy(() -> RecordedText.name("by", blank, null)).as(blank)
                    .isInstanceOf(ProblemException.class)
                    .hasMessageContaining("no visible character");
            assertThatThrownBy(() -> RecordedText.prose("answer", blank, 100, null)).as(blank)
                    .isInstanceOf(ProblemException.class);
        }
        assertThat(RecordedText.prose("answer", "e\u0301 \u00a0ok", 100, null)).isEqualTo("e\u0301 \u00a0ok");
        assertThat(RecordedText.name("by", "\uD83D\uDCB0", null)).isEqualTo("\uD83D\uDCB0");
    }

    @Test
    void aNameHoldsNoCharacterThatIsNotSeen() {
        // Each would make "x?y" read as "xy", another epoch's name.
        for (String hidden : new String[]{"\u200E", "\u200F", "\u061C", "\u00AD", "\u034F", "\u2062", "\u180E",
                "\u3164", "\uDB40\uDC41"}) {
            assertThatThrownBy(() -> RecordedText.name("name", "x" + hidden + "y", null)).as(hidden)
                    .isInstanceOf(ProblemException.class)
                    .hasMessageContaining("holds a character that is not seen (U+");
        }
        // Emoji keep their joiner and variation selector; prose keeps what it has (a soft hyphen in a reason).
        assertThat(RecordedText.name("name", "team \uD83D\uDC69\u200D\uD83D\uDCBB \u2764\uFE0F", null))
                .isEqualTo("team \uD83D\uDC69\u200D\uD83D\uDCBB \u2764\uFE0F");
        assertThat(RecordedText.prose("reason", "co\u00ADoperate", 100, null)).isEqualTo("co\u00ADoperate");
        // Persian (and Arabic, Indic) spelling needs the zero-width non-joiner: "mi\u200Ckhaham".
        assertThat(RecordedText.name("name", "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645", null))
                .isEqualTo("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645");
        // England's flag: a black flag and tags spelling "gbeng", cancelled; the same tags alone are refused.
        String england = "\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62\uDB40\uDC65\uDB40\uDC6E\uDB40\uDC67\uDB40\uDC7F";
        assertThat(RecordedText.name("name", "team " + england, null)).isEqualTo("team " + england);
        assertThatThrownBy(() -> RecordedText.name("name", "team \uDB40\uDC67x", null))
                .isInstanceOf(ProblemException.class);
    }

    @Test
    void aCutNeverSplitsACharacter() {
        // "ab" then an emoji (two UTF-16 units): cut to 4 units, the emoji does not fit whole before the ellipsis.
        assertThat(StoredText.fit("ab\uD83D\uDCB0cd", 4)).isEqualTo("ab…");
        assertThat(StoredText.fit("abc\uD83D\uDCB0cd", 4)).isEqualTo("abc…");
        String key = StoredText.key("x".repeat(9) + "\uD83D\uDCB0" + "y".repeat(100), 75);
        assertThat(RecordedText.loneSurrogate(key)).isFalse();
        assertThat(key).startsWith("x".repeat(9) + "#");
    }
}
