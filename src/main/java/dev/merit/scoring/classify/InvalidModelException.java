package dev.merit.scoring.classify;

/** A model file is missing, unreadable, or not the one its manifest describes: Merit refuses to score with it. */
public final class InvalidModelException extends RuntimeException {
    public InvalidModelException(String message) {
        super(message);
    }
}
