package dev.merit.ingest.git;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merit.contributor.ActorRef;
import dev.merit.ingest.ContributionEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps commits to canonical contribution events, and nothing more. */
final class GitContributionMapper {

    static final String SOURCE = "git";

    private final String repositoryName;
    private final Long repositoryId;
    private final Mailmap mailmap;
    private final ObjectMapper json;

    GitContributionMapper(String repositoryName, Long repositoryId, Mailmap mailmap, ObjectMapper json) {
        this.repositoryName = repositoryName;
        this.repositoryId = repositoryId;
        this.mailmap = mailmap;
        this.json = json;
    }

    List<ContributionEvent> toEvents(List<CommitRecord> records) {
        List<ContributionEvent> events = new ArrayList<>(records.size());
        for (CommitRecord record : records) {
            events.add(toEvent(record));
        }
        return events;
    }

    ContributionEvent toEvent(CommitRecord r) {
        List<ActorRef> coAuthors = CoAuthors.parse(r.message()).stream()
                .map(a -> actor(a.name(), a.email())).toList();
        String message = r.message() == null ? "" : r.message();
        int newline = message.indexOf('\n');
        String title = (newline < 0 ? message : message.substring(0, newline)).strip();
        return new ContributionEvent(SOURCE, r.sha(), r.isMerge() ? "merge" : "commit", r.reachedBranchAt(),
                repositoryName, repositoryId, actor(r.authorName(), r.authorEmail()), coAuthors, title, message,
                r.metrics(), r.files(), raw(r, coAuthors), r.patchId(), r.lines(), r.committedAt());
    }

    private ActorRef actor(String name, String email) {
        Mailmap.Entry canonical = mailmap.map(name, email);
        boolean changed = !canonical.name().equals(name) || !canonical.email().equals(email);
        return changed ? new ActorRef(name, email, null, canonical.name(), canonical.email()) : ActorRef.of(name, email);
    }

    private String raw(CommitRecord r, List<ActorRef> coAuthors) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("sha", r.sha());
        raw.put("parents", r.parents());
        raw.put("author", Map.of("name", r.authorName(), "email", r.authorEmail(), "at", r.authoredAt().toString()));
        raw.put("committer", Map.of("name", r.committerName(), "email", r.committerEmail(),
                "at", r.committedAt().toString()));
        raw.put("coAuthors", coAuthors.stream().map(a -> Map.of("name", a.name(), "email", a.email())).toList());
        if (r.landedWith() != null) {
            // Dated by the merge that brought it onto the branch, not by its own commit.
            raw.put("landed", Map.of("with", r.landedWith(), "at", r.landedAt().toString()));
        }
        try {
            return json.writeValueAsString(raw);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
