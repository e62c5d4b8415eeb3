package dev.merit.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

/**
 * A real Git repository with a long history, written by git itself ({@code git fast-import}): many authors, files
 * edited again and again, so that ingesting it takes long enough to be interrupted at a chosen moment.
 */
public final class GeneratedHistory {

    private GeneratedHistory() {
    }

    /** A history of {@code commits} commits from 1 January 2010 (tests that score use other years). */
    public static Path create(Path dir, int commits, long seed) {
        return create(dir, commits, seed, 1_262_304_000L);
    }

    /** A history of {@code commits} commits, about 35 minutes apart, from {@code startSeconds}. */
    public static Path create(Path dir, int commits, long seed, long startSeconds) {
        try {
            run(dir.getParent(), "git", "init", "-q", "-b", "main", dir.toString());
            Process p = new ProcessBuilder("git", "-C", dir.toString(), "fast-import", "--quiet")
                    .redirectErrorStream(true).start();
            Random random = new Random(seed);
            String[][] files = new String[120][];
            long time = startSeconds;
            try (OutputStream out = p.getOutputStream()) {
                for (int c = 0; c < commits; c++) {
                    time += 600 + random.nextInt(3600);
                    int author = random.nextInt(40);
                    StringBuilder s = new StringBuilder("commit refs/heads/main\n")
                            .append("author Author ").append(author).append(" <author").append(author)
                            .append("@history.example> ").append(time).append(" +0000\n")
                            .append("committer Author ").append(author).append(" <author").append(author)
                            .append("@history.example> ").append(time).append(" +0000\n");
                    data(s, (c % 3 == 0 ? "feat: " : c % 3 == 1 ? "fix: " : "docs: ") + "change " + c + "\n");
                    for (int f = 0, n = 1 + random.nextInt(3); f < n; f++) {
                        int file = random.nextInt(files.length);
                        files[file] = edit(files[file], random, c);
                        s.append("M 100644 inline src/module").append(file % 12).append("/file").append(file).append(".c\n");
                        data(s, String.join("\n", files[file]) + "\n");
                    }
                    out.write(s.toString().getBytes(StandardCharsets.UTF_8));
                }
            }
            if (p.waitFor() != 0) {
                throw new IllegalStateException("git fast-import failed: " + new String(p.getInputStream().readAllBytes()));
            }
            run(dir, "git", "checkout", "-q", "main");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A file of at most 60 lines: some lines replaced, some added. */
    private static String[] edit(String[] lines, Random random, int commit) {
        int size = lines == null ? 5 + random.nextInt(20) : Math.min(60, lines.length + random.nextInt(4));
        String[] next = new String[size];
        for (int i = 0; i < size; i++) {
            boolean keep = lines != null && i < lines.length && random.nextInt(4) != 0;
            next[i] = keep ? lines[i] : "int v" + commit + "_" + i + " = " + random.nextInt(1000) + ";";
        }
        return next;
    }

    private static void data(StringBuilder s, String text) {
        s.append("data ").append(text.getBytes(StandardCharsets.UTF_8).length).append('\n').append(text).append('\n');
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }
}
