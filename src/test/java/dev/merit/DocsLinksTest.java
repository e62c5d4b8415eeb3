package dev.merit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README is for a newcomer and stays short; the reference lives in docs/. Every relative link in README.md and
 * docs/*.md points at a file that exists, and an #anchor at a heading of that file (GitHub's heading ids).
 */
class DocsLinksTest {

    private static final Path README = Path.of("README.md");
    private static final Path DOCS = Path.of("docs");
    /** An inline link or image: [text](target) or [text](target "title"). */
    private static final Pattern INLINE = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** A reference definition: [label]: target. */
    private static final Pattern DEFINITION = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*<?([^\\s>]+)>?");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?:.+?)\\1");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:|^//");

    @Test
    void theReadmeIsShort() throws IOException {
        assertThat(Files.readAllLines(README)).as("README.md lines").hasSizeLessThan(250);
    }

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path file : markdownFiles()) {
            for (String target : links(file)) {
                if (SCHEME.matcher(target).find()) {
                    continue;
                }
                checked++;
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = path.isEmpty() ? file : file.toAbsolutePath().getParent().resolve(path).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(file + ": " + target + " (no such file)");
                } else if (anchor != null && !anchor.isEmpty()) {
                    if (!Files.isRegularFile(resolved) || !resolved.toString().endsWith(".md")) {
                        broken.add(file + ": " + target + " (an anchor into something that is not Markdown)");
                    } else if (!headingIds(resolved).contains(anchor)) {
                        broken.add(file + ": " + target + " (no heading with id " + anchor + ")");
                    }
                }
            }
        }
        assertThat(broken).as("broken relative links").isEmpty();
        assertThat(checked).as("relative links checked").isPositive();
    }

    @Test
    void theReadmeAndTheDocsIndexLinkEveryDoc() throws IOException {
        Set<Path> fromReadme = linkedFiles(README);
        Set<Path> fromIndex = linkedFiles(DOCS.resolve("README.md"));
        for (Path doc : markdownFiles()) {
            if (doc.getParent() != null && doc.getParent().equals(DOCS) && !doc.getFileName().toString().equals("README.md")) {
                Path absolute = doc.toAbsolutePath().normalize();
                assertThat(fromReadme).as("README.md links " + doc).contains(absolute);
                assertThat(fromIndex).as("docs/README.md links " + doc).contains(absolute);
            }
        }
    }

    @Test
    void headingIdsAreGitHubs() {
        assertThat(slug("How scoring works (scorer `learned-v2`)")).isEqualTo("how-scoring-works-scorer-learned-v2");
        assertThat(slug("Sources: webhooks, the CI hook and Kafka")).isEqualTo("sources-webhooks-the-ci-hook-and-kafka");
        assertThat(slug("REST API")).isEqualTo("rest-api");
    }

    private static List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(README);
        try (Stream<Path> docs = Files.list(DOCS)) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    private static Set<Path> linkedFiles(Path file) throws IOException {
        Set<Path> linked = new HashSet<>();
        for (String target : links(file)) {
            if (!SCHEME.matcher(target).find()) {
                String path = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                if (!path.isEmpty()) {
                    linked.add(file.toAbsolutePath().getParent().resolve(path).normalize());
                }
            }
        }
        return linked;
    }

    /** Link targets outside fenced code blocks and code spans. */
    static List<String> links(Path file) throws IOException {
        List<String> targets = new ArrayList<>();
        for (String line : prose(file)) {
            String text = CODE_SPAN.matcher(line).replaceAll("");
            Matcher inline = INLINE.matcher(text);
            while (inline.find()) {
                targets.add(inline.group(1));
            }
            Matcher definition = DEFINITION.matcher(text);
            if (definition.find()) {
                targets.add(definition.group(1));
            }
        }
        return targets;
    }

    /** The lines of a Markdown file outside fenced code blocks. */
    private static List<String> prose(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        String fence = null;
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.stripLeading();
            if (fence == null && (trimmed.startsWith("```") || trimmed.startsWith("~~~"))) {
                fence = trimmed.substring(0, 3);
            } else if (fence != null && trimmed.startsWith(fence)) {
                fence = null;
            } else if (fence == null) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
    static Set<String> headingIds(Path file) throws IOException {
        Set<String> ids = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(file)) {
            Matcher heading = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$").matcher(line);
            if (heading.matches()) {
                String id = slug(heading.group(1));
                int n = seen.merge(id, 1, Integer::sum) - 1;
                ids.add(n == 0 ? id : id + "-" + n);
            }
        }
        return ids;
    }

    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        StringBuilder id = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                id.appendCodePoint(c);
            } else if (c == ' ') {
                id.append('-');
            }
        });
        return id.toString();
    }
}
