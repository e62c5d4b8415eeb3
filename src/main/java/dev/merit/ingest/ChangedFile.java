package dev.merit.ingest;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/**
 * One file touched by a contribution. {@code linesAdded}/{@code linesDeleted} are null for binary
 * files, as in {@code git log --numstat}.
 */
@Embeddable
public class ChangedFile {

    public enum Change { ADD, MODIFY, DELETE, RENAME }

    /** What the file is, for effective size: only SOURCE lines count as work. */
    public enum Category { SOURCE, GENERATED, VENDORED, LOCKFILE, MINIFIED, BINARY }

    @Column(nullable = false, length = 4096)
    public String path;

    @Column(name = "old_path", length = 4096)
    public String oldPath;

    @Column(name = "change_type", nullable = false)
    public String change;

    @Column(name = "lines_added")
    public Integer linesAdded;

    @Column(name = "lines_deleted")
    public Integer linesDeleted;

    @Column(nullable = false)
    public String category;

    @Column(name = "effective_lines", nullable = false)
    public int effectiveLines;

    public ChangedFile() {
    }

    public ChangedFile(String path, String oldPath, Change change, Integer linesAdded, Integer linesDeleted,
                       Category category, int effectiveLines) {
        this.path = path;
        this.oldPath = oldPath;
        this.change = change.name();
        this.linesAdded = linesAdded;
        this.linesDeleted = linesDeleted;
        this.category = category.name();
        this.effectiveLines = effectiveLines;
    }
}
