/**
 * The persistent step transport: one long-lived Spark barrier stage with a task per partition, each
 * keeping its blocks and kernel buffers, answering the driver's steps and evaluations until STOP.
 *
 * <p>Parts, along the data flow: {@link io.sparkmlp.driver.transport.persistent.PersistentTransport}
 * (the {@code StepTransport}) joins {@link io.sparkmlp.driver.transport.persistent.TaskSlots} (enough
 * slots for a barrier stage), {@link io.sparkmlp.driver.transport.persistent.StageInput} (the blocks in
 * a lineage a barrier stage accepts), {@link io.sparkmlp.driver.transport.persistent.BarrierStage}
 * (launch, attempts, stop) and {@link io.sparkmlp.driver.transport.persistent.StepRounds} (a request to
 * every task, answers in partition order, the same round again after a lost attempt). On the wire,
 * {@link io.sparkmlp.driver.transport.persistent.StepProtocol} writes and reads every frame;
 * {@link io.sparkmlp.driver.transport.persistent.StepServer} authenticates tasks (HMAC over a fresh
 * challenge) and groups them into generations; the handshake picks each task's
 * {@link io.sparkmlp.driver.transport.persistent.StepChannel} once: frames over TCP
 * ({@link io.sparkmlp.driver.transport.persistent.TcpChannel}), or in memory for tasks in the driver's
 * JVM ({@link io.sparkmlp.driver.transport.persistent.LocalLink}; in local mode that removes most of the
 * step overhead, about 0.5 ms per 0.94 MB crossing the loopback socket).
 *
 * <p>Diagnostics go to SLF4J; the one line the user reads here, a task lost and the stage restarting,
 * goes to the run's log stream.
 *
 * <p>May use: {@code transport}, {@code step}, {@code eval}, {@code data}.
 */
package io.sparkmlp.driver.transport.persistent;
