package dev.merit.scoring.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Commit datasets in the JSONL format of {@code export-dataset} (gzip or not): one object a line with repo, sha,
 * time, author, message and files[{path, added, deleted}]; optionally {@code "correction": {"dispute": ID, "type":
 * TYPE}} on a commit whose label (the message's prefix, then TYPE) is a maintainer's answer to a dispute rather than
 * its author's own (written by {@code export-dataset --corrections}; {@code train} weights those lines by
 * {@code --correction-weight}). Malformed lines are counted and reported, not fatal.
 */
public final class CommitDataset {

    public record FileStat(String path, Integer added, Integer deleted) {
    }

    /** A commit; {@code corrected}: its label comes from an accepted dispute (the optional "correction" field). */
    public record Commit(String repo, String sha, long time, String author, String message, List<FileStat> files,
                         boolean corrected) {

        public Commit(String repo, String sha, long time, String author, String message, List<FileStat> files) {
            this(repo, sha, time, author, message, files, false);
        }
    }

    public record Loaded(List<Commit> commits, int malformed, List<String> problems) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PROBLEMS_KEPT = 10;

    private CommitDataset() {
    }

    public static Loaded read(List<Path> files) throws IOException {
        List<Commit> commits = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int malformed = 0;
        for (Path file : files) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
                int lineNo = 0;
                for (String line; (line = reader.readLine()) != null; ) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        commits.add(parse(JSON.readTree(line)));
                    } catch (IOException | IllegalArgumentException e) {
                        malformed++;
                        if (problems.size() < PROBLEMS_KEPT) {
                            problems.add(file.getFileName() + ":" + lineNo + ": " + e.getMessage().lines().findFirst().orElse(""));
                        }
                    }
                }
            }
        }
        return new Loaded(commits, malformed, problems);
    }

    private static Commit parse(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode message = n.get("message");
        if (message == null || !message.isTextual()) {
            throw new IllegalArgumentException("no \"message\" string");
        }
        List<FileStat> files = new ArrayList<>();
        JsonNode list = n.get("files");
        if (list != null && list.isArray()) {
            for (JsonNode f : list) {
                if (f.hasNonNull("path")) {
                    files.add(new FileStat(f.get("path").asText(), intOrNull(f.get("added")), intOrNull(f.get("deleted"))));
                }
            }
        }
        JsonNode correction = n.get("correction");
        return new Commit(text(n, "repo"), text(n, "sha"), n.path("time").asLong(), text(n, "author"), message.asText(),
                files, correction != null && correction.isObject());
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : "";
    }

    private static Integer intOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asInt();
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
