package dev.merit.scoring;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authors as a run reads them: who is a bot comes from the run's one reading (passed in), never from the credit rows,
 * so graph credit, undone lines and credit shares of one run agree even when a maintainer marks an account meanwhile.
 */
class CreditedAuthorsTest {

    private static final long PERSON = 7;
    private static final long AGENT = 9;
    private static final List<Object[]> ROWS = List.of(new Object[]{1L, PERSON}, new Object[]{1L, AGENT},
            new Object[]{2L, AGENT});

    @Test
    void aBotBesidePeopleIsNoAuthorAndAloneItIs() {
        Map<Long, Set<Long>> authors = CreditedAuthors.of(ROWS, Set.of(AGENT));
        assertThat(authors.get(1L)).containsExactly(PERSON);
        assertThat(authors.get(2L)).containsExactly(AGENT);
    }

    @Test
    void theRunsReadingDecidesNotTheRows() {
        assertThat(CreditedAuthors.of(ROWS, Set.of()).get(1L)).containsExactly(PERSON, AGENT);
        assertThat(CreditedAuthors.sharing(List.of(PERSON, AGENT), Set.of(AGENT)::contains)).containsExactly(PERSON);
        assertThat(CreditedAuthors.sharing(List.of(AGENT), Set.of(AGENT)::contains)).containsExactly(AGENT);
    }
}
