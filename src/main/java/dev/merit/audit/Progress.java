package dev.merit.audit;

import org.jboss.logging.Logger;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * How far a long piece of work has come (an ingest, a scoring run, a training): done of total, the rate, and the time
 * left. Where it shows depends on how Merit runs: the service logs a line at every tenth of the work and at least every
 * {@link #EVERY_NANOS 10 s}; a command on a terminal redraws one progress bar on standard error; a command whose
 * output goes to a file or a pipe prints the same lines as the service, on standard error. A listener (an ingest job
 * over the API) gets every {@link Snapshot}.
 */
public final class Progress {

    /** Where progress shows: the log (the service), a terminal's progress bar, or plain lines (a command's stderr). */
    public enum Mode { LOG, TERMINAL, LINES }

    /** What a reader sees: done of total (total 0: not known), per second, seconds left (-1: not known). */
    public record Snapshot(String what, String unit, long done, long total, double perSecond, long secondsLeft) {

        public String text() {
            StringBuilder s = new StringBuilder(what).append(": ").append(done);
            if (total > 0) {
                s.append(" of ").append(total);
            }
            s.append(' ').append(unit);
            if (total > 0) {
                s.append(" (").append(Math.min(100, done * 100 / total)).append("%)");
            }
            if (perSecond > 0) {
                s.append(", ").append(String.format(Locale.ROOT, perSecond >= 10 ? "%.0f" : "%.1f", perSecond))
                        .append('/').append("s");
            }
            if (secondsLeft >= 0) {
                s.append(", about ").append(duration(secondsLeft)).append(" left");
            }
            return s.toString();
        }

        private static String duration(long seconds) {
            if (seconds < 90) {
                return seconds + " s";
            }
            if (seconds < 90 * 60) {
                return (seconds + 30) / 60 + " min";
            }
            return String.format(Locale.ROOT, "%.1f h", seconds / 3600.0);
        }
    }

    static final long EVERY_NANOS = 10_000_000_000L;
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int BAR = 24;
    private static volatile Mode mode = Mode.LOG;

    private final Logger log;
    private final String what;
    private final String unit;
    private final Consumer<Snapshot> listener;
    private final long started = System.nanoTime();
    private volatile long total;
    private long done;
    private long lastShown;
    private long lastTenth;
    private boolean drawn;

    private Progress(Logger log, String what, String unit, long total, Consumer<Snapshot> listener) {
        this.log = log;
        this.what = what;
        this.unit = unit;
        this.total = Math.max(0, total);
        this.listener = listener;
        this.lastShown = started;
    }

    /** A command (not the service) shows progress on standard error: a bar on a terminal, else lines. */
    public static void toConsole() {
        mode = terminal() ? Mode.TERMINAL : Mode.LINES;
    }

    /** Java 22 and later give a console even to redirected output; they also say whether it is a terminal. */
    private static boolean terminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 17 to 21: a console is a terminal
        }
    }

    public static Mode mode() {
        return mode;
    }

    /** Starts reporting {@code what} ("Ingesting merit"), counted in {@code unit} ("commits"), {@code total} if known. */
    public static Progress start(Logger log, String what, String unit, long total) {
        return new Progress(log, what, unit, total, null);
    }

    /** As {@link #start(Logger, String, String, long)}, and every change goes to {@code listener} too. */
    public static Progress start(Logger log, String what, String unit, long total, Consumer<Snapshot> listener) {
        return new Progress(log, what, unit, total, listener);
    }

    /** {@code n} more units are done. */
    public synchronized void advance(long n) {
        done += n;
        long now = System.nanoTime();
        Snapshot s = snapshot(now);
        if (listener != null) {
            listener.accept(s);
        }
        long tenth = total > 0 ? Math.min(10, done * 10 / total) : 0;
        if (mode == Mode.TERMINAL) {
            if (now - lastShown >= REDRAW_NANOS) {
                draw(System.err, s);
                lastShown = now;
            }
        } else if (tenth > lastTenth || now - lastShown >= EVERY_NANOS) {
            show(s);
            lastShown = now;
        }
        lastTenth = Math.max(lastTenth, tenth);
    }

    /** The work is over (done or failed): a terminal's bar gives way to the lines that follow. */
    public synchronized void finish() {
        if (mode == Mode.TERMINAL && drawn) {
            draw(System.err, snapshot(System.nanoTime()));
            System.err.println();
        }
    }

    public synchronized Snapshot snapshot() {
        return snapshot(System.nanoTime());
    }

    private Snapshot snapshot(long now) {
        double seconds = (now - started) / 1e9;
        double rate = seconds > 0.5 ? done / seconds : 0;
        long left = total > 0 && rate > 0 ? Math.round(Math.max(0, total - done) / rate) : -1;
        return new Snapshot(what, unit, done, total, rate, left);
    }

    private void show(Snapshot s) {
        if (mode == Mode.LINES) {
            System.err.println(s.text());
        } else {
            log.info(s.text());
        }
    }

    private void draw(PrintStream out, Snapshot s) {
        int filled = s.total() > 0 ? (int) Math.min(BAR, s.done() * BAR / s.total()) : 0;
        String bar = s.total() > 0 ? "[" + "#".repeat(filled) + " ".repeat(BAR - filled) + "] " : "";
        out.print("\r" + bar + s.text() + "   ");
        out.flush();
        drawn = true;
    }
}
