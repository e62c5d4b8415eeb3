package dev.merit.ingest.git;

import dev.merit.ingest.ChangedFile.Category;
import org.eclipse.jgit.attributes.Attribute;
import org.eclipse.jgit.attributes.AttributesNode;
import org.eclipse.jgit.attributes.AttributesRule;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathSuffixFilter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides which files are hand-written work. {@code linguist-generated} and {@code linguist-vendored} in
 * the repository's .gitattributes win (set or unset); otherwise well-known lock files, minified files,
 * vendored directories and generated-code patterns are recognised by path.
 */
public final class PathClassifier {

    private static final Set<String> LOCK_FILES = Set.of("package-lock.json", "npm-shrinkwrap.json", "yarn.lock",
            "pnpm-lock.yaml", "bun.lockb", "bun.lock", "cargo.lock", "gemfile.lock", "composer.lock", "poetry.lock",
            "pipfile.lock", "pdm.lock", "uv.lock", "go.sum", "gradle.lockfile", "flake.lock", "mix.lock",
            "pubspec.lock", "podfile.lock", "packages.lock.json", "deno.lock", "paket.lock", "shrinkwrap.yaml");
    private static final Pattern MINIFIED = Pattern.compile("\\.min\\.(js|mjs|cjs|css)$|\\.(js|css)\\.map$");
    private static final Pattern VENDORED = Pattern.compile(
            "(^|/)(vendor|vendors|vendored|third_party|third-party|thirdparty|node_modules|bower_components|deps)/");
    private static final Pattern GENERATED = Pattern.compile(
            "\\.pb\\.(go|cc|h)$|_pb2(_grpc)?\\.pyi?$|\\.generated\\.|(^|/)__generated__/|\\.g\\.dart$"
                    + "|\\.designer\\.cs$|(^|/)dist/|\\.snap$|_generated\\.go$|(^|/)zz_generated\\.");

    private record ScopedRule(String directory, AttributesRule rule) {
    }

    private final List<ScopedRule> rules;

    private PathClassifier(List<ScopedRule> rules) {
        this.rules = rules;
    }

    public static PathClassifier builtIn() {
        return new PathClassifier(List.of());
    }

    /** Reads every .gitattributes in {@code tree} (root first, deeper later, as git applies them). */
    public static PathClassifier fromTree(ObjectReader reader, ObjectId tree) throws IOException {
        List<ScopedRule> rules = new ArrayList<>();
        List<String[]> files = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            walk.setFilter(PathSuffixFilter.create(".gitattributes"));
            while (walk.next()) {
                String path = walk.getPathString();
                if (path.equals(".gitattributes") || path.endsWith("/.gitattributes")) {
                    files.add(new String[]{path, walk.getObjectId(0).name()});
                }
            }
        }
        files.sort(Comparator.comparingInt((String[] f) -> f[0].split("/").length).thenComparing(f -> f[0]));
        for (String[] file : files) {
            String dir = file[0].contains("/") ? file[0].substring(0, file[0].lastIndexOf('/') + 1) : "";
            AttributesNode node = new AttributesNode();
            node.parse(new ByteArrayInputStream(reader.open(ObjectId.fromString(file[1])).getCachedBytes(1 << 20)));
            for (AttributesRule rule : node.getRules()) {
                rules.add(new ScopedRule(dir, rule));
            }
        }
        return new PathClassifier(List.copyOf(rules));
    }

    public Category classify(String path) {
        Boolean generated = null;
        Boolean vendored = null;
        for (ScopedRule scoped : rules) {
            if (!path.startsWith(scoped.directory())) {
                continue;
            }
            String relative = path.substring(scoped.directory().length());
            if (!scoped.rule().isMatch(relative, false)) {
                continue;
            }
            for (Attribute attribute : scoped.rule().getAttributes()) {
                if (attribute.getKey().equals("linguist-generated")) {
                    generated = isSet(attribute);
                } else if (attribute.getKey().equals("linguist-vendored")) {
                    vendored = isSet(attribute);
                }
            }
        }
        if (Boolean.TRUE.equals(generated)) {
            return Category.GENERATED;
        }
        if (Boolean.TRUE.equals(vendored)) {
            return Category.VENDORED;
        }
        String lower = path.toLowerCase(Locale.ROOT);
        String name = lower.substring(lower.lastIndexOf('/') + 1);
        if (LOCK_FILES.contains(name)) {
            return Category.LOCKFILE;
        }
        if (MINIFIED.matcher(lower).find()) {
            return Category.MINIFIED;
        }
        if (vendored == null && VENDORED.matcher(lower).find()) {
            return Category.VENDORED;
        }
        if (generated == null && GENERATED.matcher(lower).find()) {
            return Category.GENERATED;
        }
        return Category.SOURCE;
    }

    private static boolean isSet(Attribute attribute) {
        return switch (attribute.getState()) {
            case SET -> true;
            case CUSTOM -> !attribute.getValue().equalsIgnoreCase("false");
            default -> false;
        };
    }
}
