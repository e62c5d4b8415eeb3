package dev.merit.scoring;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.math.BigDecimal;
import java.util.Locale;

/** What a contribution is, with the default weight of its work. */
public enum ContributionType {
    FEATURE("1.0"),
    FIX("1.0"),
    PERF("1.0"),
    REFACTOR("0.8"),
    TEST("0.8"),
    DOCS("0.6"),
    BUILD("0.5"),
    CHORE("0.3"),
    STYLE("0.2"),
    REVERT("0.1"),
    /** A review of someone else's change (approved, changes requested, commented). */
    REVIEW("0.8"),
    /** An issue reported. */
    ISSUE("0.4"),
    /** A comment on an issue or a pull request. */
    COMMENT("0.1"),
    /** A merge commit: its changes are credited to the commits it merges. */
    MERGE("0"),
    /** No signal either way: counted as ordinary work. */
    OTHER("1.0");

    private final BigDecimal defaultWeight;
    private final String label;

    ContributionType(String defaultWeight) {
        this.defaultWeight = new BigDecimal(defaultWeight);
        this.label = name().toLowerCase(Locale.ROOT);
    }

    /** Kinds of contribution whose type is the kind itself (no classifier): review, issue, comment, merge. */
    public static Optional<ContributionType> ofKind(String kind) {
        if (kind == null) {
            return Optional.empty();
        }
        return switch (kind) {
            case "review" -> Optional.of(REVIEW);
            case "issue" -> Optional.of(ISSUE);
            case "comment" -> Optional.of(COMMENT);
            case "merge" -> Optional.of(MERGE);
            default -> Optional.empty();
        };
    }

    private static final Map<String, ContributionType> BY_LABEL = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ContributionType::label, t -> t));

    /** Every type's {@link #label()}, in declaration order. */
    public static final List<String> LABELS = Arrays.stream(values()).map(ContributionType::label).toList();

    /** The type with this {@link #label()} ("feature", "fix", ...). */
    public static ContributionType ofLabel(String label) {
        ContributionType type = BY_LABEL.get(label);
        if (type == null) {
            throw new IllegalArgumentException("No contribution type is labelled " + label);
        }
        return type;
    }

    public BigDecimal defaultWeight() {
        return defaultWeight;
    }

    public String label() {
        return label;
    }
}
