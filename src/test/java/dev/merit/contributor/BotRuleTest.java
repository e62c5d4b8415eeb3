package dev.merit.contributor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Accounts from real histories (open-feature/java-sdk among them) that a DAO must not pay, and people it must. */
class BotRuleTest {

    private final BotRule rule = new BotRule(List.of("dependabot", "renovate", "snyk-bot", "noreply@anthropic.com",
            "cursoragent@cursor.com", "198982749+copilot@users.noreply.github.com",
            "175728472+copilot@users.noreply.github.com"));

    @Test
    void automationAccountsAreBots() {
        assertThat(rule.isBot("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com")).isTrue();
        assertThat(rule.isBot("OpenFeature Bot", "109696520+openfeaturebot@users.noreply.github.com")).isTrue();
        assertThat(rule.isBot("Step Security Bot", "bot@stepsecurity.io")).isTrue();
        assertThat(rule.isBot("release-bot", "release-bot@example.org")).isTrue();
        assertThat(rule.isBot("snyk-bot", "snyk-bot@snyk.io")).isTrue();
        assertThat(rule.isBot("Angular Robot", "angular-robot@google.com")).as("angular/angular-cli's dependency updates")
                .isTrue();
    }

    @Test
    void codingAgentsSigningAsCoAuthorsAreBots() {
        assertThat(rule.isBot("Claude Opus 4.5", "noreply@anthropic.com")).isTrue();
        assertThat(rule.isBot("Claude", "NoReply@Anthropic.com")).isTrue();
        assertThat(rule.isBot("Cursor Agent", "cursoragent@cursor.com")).isTrue();
        assertThat(rule.isBot("Copilot", "198982749+Copilot@users.noreply.github.com")).isTrue();
        assertThat(rule.isBot("Copilot", "175728472+Copilot@users.noreply.github.com")).isTrue();
    }

    @Test
    void peopleAreNot() {
        assertThat(rule.isBot("Todd Baert", "todd.baert@dynatrace.com")).isFalse();
        assertThat(rule.isBot("Jan Bot", "jan@example.nl")).as("a surname, and no bot in the e-mail").isFalse();
        assertThat(rule.isBot("Abbot", "abbot@example.org")).as("bot inside a word").isFalse();
        assertThat(rule.isBot("Robert Botha", "robert.botha@example.org")).isFalse();
        assertThat(rule.isBot("Ann Robot", "ann@example.org")).as("a surname, and no bot in the e-mail").isFalse();
        assertThat(rule.isBot("Ada", "ada@anthropic.com")).as("a person at the company, not its agent").isFalse();
        assertThat(rule.isBot(null, null)).isFalse();
    }
}
