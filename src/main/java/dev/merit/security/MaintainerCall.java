package dev.merit.security;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import jakarta.enterprise.context.RequestScoped;

/**
 * How the maintainer behind the current call proved they may act: recorded beside every decision a maintainer makes
 * (a bot mark, a merge and its undoing, a dispute's answer), so the record says who really did it, whatever name the
 * caller typed into "by". Set by {@link AccessFilter} when it admits a maintainer's call; outside an HTTP call (the
 * command line, which needs the data directory) it says so.
 */
@RequestScoped
public class MaintainerCall {

    private static final int MAX = 200;

    private String proof;
    private String name;
    private String wallet;
    /** For a public read: whether its caller would be a maintainer, asked only when a reply depends on it. */
    private java.util.function.BooleanSupplier wouldBeMaintainer;
    /** Its answer, once asked. */
    private Boolean readByMaintainer;
    /** For a public read: the wallet signed in behind it (Sign-In with Ethereum), asked only when a reply needs it. */
    private java.util.function.Supplier<java.util.Optional<String>> signedIn;

    /** {@code proof} completes "by NAME (...)": "with the maintainer token"; {@code name} is a person's, if known. */
    void proven(String proof, String name) {
        this.proof = clean(proof);
        this.name = name == null ? null : clean(name);
    }

    /** As {@link #proven(String, String)}, by a maintainer's wallet signed in with its signature. */
    void provenByWallet(String proof, String wallet) {
        proven(proof, wallet);
        this.wallet = wallet;
    }

    void readBy(java.util.function.BooleanSupplier check,
                java.util.function.Supplier<java.util.Optional<String>> wallet) {
        this.wouldBeMaintainer = check;
        this.signedIn = wallet;
    }

    boolean readByMaintainer() {
        if (proof != null) {
            return true;
        }
        if (readByMaintainer == null) {
            readByMaintainer = wouldBeMaintainer != null && wouldBeMaintainer.getAsBoolean();
        }
        return readByMaintainer;
    }

    /**
     * Whether the current HTTP call is a maintainer's, as a maintainer's write would be admitted: a public read asks
     * this to show what only maintainers read (contributors' e-mail addresses). False outside an HTTP call.
     */
    public static boolean maintainerReads() {
        MaintainerCall call = current();
        return call != null && call.readByMaintainer();
    }

    /**
     * The wallet signed in behind the current public read, if any: a contributor reads their own e-mail addresses
     * whole. Empty outside an HTTP call.
     */
    public static java.util.Optional<String> readerWallet() {
        MaintainerCall call = current();
        return call == null ? java.util.Optional.empty() : call.signedInWallet();
    }

    /** Through the bean, not its fields: {@link #current()} is a client proxy of this request-scoped bean. */
    java.util.Optional<String> signedInWallet() {
        return signedIn == null ? java.util.Optional.empty() : signedIn.get();
    }

    /** The signed-in maintainer wallet behind the current call, if that is how the maintainer proved it. */
    public static java.util.Optional<String> wallet() {
        MaintainerCall call = current();
        return java.util.Optional.ofNullable(call == null ? null : call.recordedWallet());
    }

    String recordedWallet() {
        return wallet;
    }

    /** How the current maintainer proved it: the HTTP call's credential, or the command line. */
    public static String proof() {
        MaintainerCall call = current();
        String proof = call == null ? null : call.recordedProof();
        if (proof != null) {
            return proof;
        }
        return "on the command line (system user " + clean(System.getProperty("user.name", "unknown")) + ")";
    }

    /**
     * Who to record when the caller names no one: the signed-in person (an OIDC user name, a maintainer's wallet), else
     * {@code fallback}.
     */
    public static String nameOr(String fallback) {
        MaintainerCall call = current();
        String name = call == null ? null : call.recordedName();
        return name != null ? name : fallback;
    }

    // Read through methods: the bean is reached through its client proxy, whose own fields are never set.
    String recordedProof() {
        return proof;
    }

    String recordedName() {
        return name;
    }

    private static MaintainerCall current() {
        ArcContainer arc = Arc.container();
        if (arc == null || !arc.requestContext().isActive()) {
            return null;
        }
        return arc.instance(MaintainerCall.class).get();
    }

    /** Printable, one line, at most {@value #MAX} characters: it comes from a token's claims. */
    private static String clean(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX));
        s.codePoints().limit(MAX).forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return out.toString().strip();
    }
}
