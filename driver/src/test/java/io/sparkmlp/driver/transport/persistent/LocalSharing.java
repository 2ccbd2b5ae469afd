package io.sparkmlp.driver.transport.persistent;

/** For tests outside this package: how local mode's in-process tasks share the driver's work. */
public final class LocalSharing {

    private LocalSharing() {
    }

    /** Decide as if the machine had {@code processors} processors (0: the machine's own); see {@code LocalLink#crowded}. */
    public static void assumeProcessors(int processors) {
        LocalLink.assumedProcessors = processors;
    }

    /** The parts of the driver's passes that tasks of this JVM have computed so far ({@link IdleTasks}). */
    public static long partsByTasks() {
        return IdleTasks.partsByTasks();
    }
}
