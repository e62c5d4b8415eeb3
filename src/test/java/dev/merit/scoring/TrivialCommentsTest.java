package dev.merit.scoring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrivialCommentsTest {

    @Test
    void reactionsAreTrivialAndWhatSaysSomethingIsNot() {
        for (String reaction : new String[]{"+1", "LGTM", ":+1: :tada:", "Thanks!", "@bob thanks", "bump",
                "https://github.com/o/r/issues/12", "> This breaks on Windows when the path has spaces.\n\nme too",
                "Thank you so much!!", "Any update?", "same here 👍", "谢谢", "", "   "}) {
            assertThat(TrivialComments.why(reaction, 3)).as(reaction).isPresent();
        }
        for (String substance : new String[]{"Can you add a test?", "Duplicate of #123.",
                "This fails on Windows because the separator is hard-coded.", "这个问题在最新版本中已经修复了",
                "```\nfoo(bar, baz)\n```", "> quoted\n\nThe quote is wrong: it returns null, not an empty list."}) {
            assertThat(TrivialComments.why(substance, 3)).as(substance).isEmpty();
        }
        assertThat(TrivialComments.why("+1", 0)).isEmpty();
        assertThat(TrivialComments.why("+1", 3).orElseThrow()).contains("\"+1\"").contains("fewer than 3 words");
        assertThat(TrivialComments.why("Thank you so much!", 3).orElseThrow()).contains("stock phrase");
    }
}
