package io.sparkmlp.driver.transport.persistent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparkmlp.driver.transport.persistent.StepProtocol.Hello;
import io.sparkmlp.driver.transport.persistent.StepProtocol.Request;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver's passes shared with an in-process task that waits for its next request: every index once, parts taken
 * by the task's thread, the request after the pass still reaching the task, and nothing offered where it cannot help.
 */
class IdleTasksTest {

    private LocalLink link;
    private StepChannel.TaskEnd task;
    private StepChannel.DriverEnd driver;
    private ExecutorService taskThread;

    @BeforeEach
    void connect() throws Exception {
        // one waiting task and the driver's thread: they spin (two processors or more)
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "one processor: waiting tasks park, nothing is shared");
        link = new LocalLink(1);
        task = link.taskEnd(10, 60_000, () -> { });
        driver = link.driverEnd(new Socket(), 10_000);
        taskThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "task-1"));
    }

    @AfterEach
    void close() throws Exception {
        if (task == null) return;
        driver.stop();
        task.ended("stopped");
        taskThread.shutdownNow();
        assertTrue(taskThread.awaitTermination(10, TimeUnit.SECONDS));
    }

    private IdleTasks sharedWith(StepChannel.DriverEnd channel) {
        StepServer.Connection c = new StepServer.Connection(new Hello(1, 1, 0, StepProtocol.IN_PROCESS, 0), channel,
                InetAddress.getLoopbackAddress());
        return new IdleTasks(() -> new StepServer.Connection[] {c});
    }

    @Test
    void aWaitingTaskTakesPartsEveryIndexIsDoneOnceAndTheNextRequestStillArrives() throws Exception {
        IdleTasks shared = sharedWith(driver);
        long before = IdleTasks.partsByTasks();
        Future<Request> waiting = taskThread.submit(() -> task.awaitRequest(new float[0]));
        int n = 100 * IdleTasks.PART + 17;
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        shared.forEach(n, (from, to) -> {
            threads.add(Thread.currentThread().getName());
            for (int i = from; i < to; i++) seen.incrementAndGet(i);
            try {
                Thread.sleep(1); // parts slow enough that the task wakes and takes some
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < n; i++) assertEquals(1, seen.get(i), "index " + i);
        assertTrue(threads.contains("task-1") && IdleTasks.partsByTasks() > before, "parts done by " + threads);

        Request next = new Request(5, new float[0], false);
        driver.send(next, () -> null);
        assertSame(next, waiting.get(10, TimeUnit.SECONDS), "the help was not the request: the task goes on to wait for it");
    }

    @Test
    void aPassNobodyHelpsWithIsDoneByTheDriverAndLeavesNothingForTheTask() throws Exception {
        IdleTasks shared = sharedWith(driver);
        long before = IdleTasks.partsByTasks();
        int n = 8 * IdleTasks.PART;
        float[] out = new float[n];
        shared.forEach(n, (from, to) -> {
            for (int i = from; i < to; i++) out[i] = i * 0.5f;
        });
        for (int i = 0; i < n; i++) assertEquals(i * 0.5f, out[i]);
        assertEquals(before, IdleTasks.partsByTasks(), "no task was waiting");
        // the task reads the finished pass later: no part is left, and it waits on for its request
        Future<Request> waiting = taskThread.submit(() -> task.awaitRequest(new float[0]));
        driver.send(new Request(6, new float[0], false), () -> null);
        assertEquals(6, waiting.get(10, TimeUnit.SECONDS).step());
        assertEquals(before, IdleTasks.partsByTasks());
    }

    @Test
    void smallPassesAndLinksAnsweredHereOrEndedAreNotShared() throws Exception {
        IdleTasks shared = sharedWith(driver);
        int[] calls = {0};
        shared.forEach((IdleTasks.MIN_PARTS - 1) * IdleTasks.PART, (from, to) -> calls[0]++);
        assertEquals(1, calls[0], "fewer parts than the minimum: one call on the driver's thread");
        task.ended("failed");
        Future<Request> none = taskThread.submit(() -> task.awaitRequest(new float[0]));
        calls[0] = 0;
        shared.forEach(10 * IdleTasks.PART, (from, to) -> calls[0]++);
        assertEquals(1, calls[0], "an ended task is offered nothing");
        driver.stop();
        assertNull(none.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aFailingPartIsThrownToTheDriver() {
        IdleTasks shared = sharedWith(driver);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> shared.forEach(10 * IdleTasks.PART, (from, to) -> {
            if (from == 3 * IdleTasks.PART) throw new ArrayIndexOutOfBoundsException("index " + from);
        }));
        assertTrue(e.getMessage().contains("a part of the driver's pass failed") && e.getMessage().contains("index 24576"),
                e.getMessage());
    }
}
