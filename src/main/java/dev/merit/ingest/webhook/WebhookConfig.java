package dev.merit.ingest.webhook;

import java.util.List;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Webhook sources ({@code merit.webhooks.*}). */
@ConfigMapping(prefix = "merit.webhooks")
public interface WebhookConfig {

    /** Larger bodies are refused with 413 before anything is parsed. */
    @WithDefault("5242880")
    int maxBodyBytes();

    /** Deliveries (webhooks and the CI hook) a client address may send a minute; 0 turns the limit off. */
    @WithDefault("1200")
    int perMinute();

    /**
     * The repositories whose events count (GitHub owner/name, GitLab group/project; owner/* for all of an owner's):
     * others are answered 202 and nothing is stored. Unset, every repository the hook sends counts; set it when the
     * hook is an organisation's, a group's or a system hook, so a repository anyone there creates is not paid.
     */
    Optional<List<String>> repositories();

    GitHub github();

    GitLab gitlab();

    Jira jira();

    Points points();

    /**
     * Labels that decline an issue closed with them (GitHub, GitLab), whatever the close reason says: GitHub's default
     * duplicate, invalid and wontfix, and the usual others. Compared without case, spaces, hyphens, underscores and
     * apostrophes, and after any "group:" or "group/" prefix ("Status: Won't fix" is wontfix).
     */
    @WithDefault("duplicate,invalid,wontfix,spam,not planned")
    List<String> decliningLabels();

    interface GitHub {
        /** The webhook secret configured on GitHub; without it the GitHub endpoint is off (503). */
        Optional<String> secret();
    }

    interface GitLab {
        /** The secret token configured on the GitLab webhook (sent as X-Gitlab-Token); without it the endpoint is off. */
        Optional<String> token();
    }

    interface Jira {
        /** The secret of the Jira webhook (HMAC-SHA256 in X-Hub-Signature); without it the endpoint is off. */
        Optional<String> secret();
    }

    /** Size points of contributions that have no diff (their lines arrive through git). */
    interface Points {
        @WithDefault("10")
        int pullRequest();

        @WithDefault("10")
        int reviewApproved();

        @WithDefault("10")
        int reviewChangesRequested();

        @WithDefault("4")
        int reviewCommented();

        @WithDefault("5")
        int issueOpened();

        @WithDefault("2")
        int issueClosed();

        @WithDefault("2")
        int comment();
    }
}
