package io.sparkmlp.driver.checkpoint;

/**
 * A checkpoint that cannot be used: damaged or not a checkpoint ({@link #damaged()}), or written by
 * a run that differs from the one resuming (configuration, data, network). The message is one
 * line: {@code <file or directory>: <what is wrong>: <found>, <expected>}.
 */
public final class CheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final boolean damaged;

    private CheckpointException(String message, boolean damaged, Throwable cause) {
        super(message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip(), cause);
        this.damaged = damaged;
    }

    /** The bytes of {@code source} are not a readable checkpoint. */
    public static CheckpointException damaged(String source, String problem, Throwable cause) {
        return new CheckpointException(source + ": " + problem, true, cause);
    }

    /** A readable checkpoint that does not fit this run, or none to resume from. */
    public static CheckpointException unusable(String message) {
        return new CheckpointException(message, false, null);
    }

    /** True when the file is damaged (as opposed to a checkpoint of another run, or none at all). */
    public boolean damaged() {
        return damaged;
    }
}
