package dev.merit.problem;

/** A value a caller sent, quoted back in a problem's detail: its first 40 characters (a field may hold megabytes). */
public final class Clip {

    private Clip() {
    }

    public static String of(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}
