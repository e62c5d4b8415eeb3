package dev.merit.contributor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How e-mail addresses read for those who are not maintainers: shortened wherever they stand. */
class ShortenedEmailTest {

    @Test
    void anAddressKeepsItsFirstCharacterAndItsDomain() {
        assertThat(Identity.shortenedEmail("ada.lovelace@example.org")).isEqualTo("a…@example.org");
        assertThat(Identity.shortenedEmail("Édith@exemple.fr")).isEqualTo("É…@exemple.fr");
        assertThat(Identity.shortenedEmail("\uD83D\uDE00x@example.org")).isEqualTo("\uD83D\uDE00…@example.org");
        assertThat(Identity.shortenedEmail("@example.org")).isEqualTo("…");
        assertThat(Identity.shortenedEmail("no-address")).isEqualTo("…");
    }

    @Test
    void everyAddressInATextIsShortenedAndTheRestKept() {
        assertThat(Identity.shortenEmailsIn("signed in as alice@dao.example (https://idp.example/realms/dao)"))
                .isEqualTo("signed in as a…@dao.example (https://idp.example/realms/dao)");
        assertThat(Identity.shortenEmailsIn("bob@x.org, then carol@y.org."))
                .isEqualTo("b…@x.org, then c…@y.org.");
        assertThat(Identity.shortenEmailsIn("the treasurer")).isEqualTo("the treasurer");
        assertThat(Identity.shortenEmailsIn("from this machine, without a token")).isEqualTo("from this machine, "
                + "without a token");
        assertThat(Identity.shortenEmailsIn("@handle on a forge")).isEqualTo("@handle on a forge");
        assertThat(Identity.shortenEmailsIn(null)).isNull();
    }

    @Test
    void anAuthorNameThatIsAnAddressIsToldFromAName() {
        assertThat(Identity.looksLikeEmail("gus@names.example")).isTrue();
        assertThat(Identity.looksLikeEmail(" gus@names.example ")).isTrue();
        assertThat(Identity.looksLikeEmail("Gus Names")).isFalse();
        assertThat(Identity.looksLikeEmail("Gus (@gus)")).isFalse();
        assertThat(Identity.looksLikeEmail("a@b")).isFalse();
    }
}
