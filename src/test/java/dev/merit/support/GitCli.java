package dev.merit.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Runs the real git command line, the reference Merit's counts are checked against. */
public final class GitCli {

    public record Totals(long commits, long added, long deleted) {
    }

    private GitCli() {
    }

    public static String run(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            if (code != 0 && code != 1) {
                throw new IllegalStateException("git " + args[0] + " failed (" + code + "): " + err);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("git is not installed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Per author e-mail: commits and numstat line totals of {@code git log --numstat --no-renames}. */
    public static Map<String, Totals> numstatByAuthor(Path dir) {
        String log = run(dir, "log", "--numstat", "--no-renames", "--format=@@%ae", "HEAD");
        Map<String, long[]> acc = new TreeMap<>();
        long[] current = null;
        for (String line : log.split("\n")) {
            if (line.startsWith("@@")) {
                current = acc.computeIfAbsent(line.substring(2), k -> new long[3]);
                current[0]++;
            } else if (!line.isBlank() && current != null) {
                String[] parts = line.split("\t", 3);
                if (!parts[0].equals("-")) {
                    current[1] += Long.parseLong(parts[0]);
                    current[2] += Long.parseLong(parts[1]);
                }
            }
        }
        Map<String, Totals> result = new TreeMap<>();
        acc.forEach((k, v) -> result.put(k, new Totals(v[0], v[1], v[2])));
        return result;
    }
}
