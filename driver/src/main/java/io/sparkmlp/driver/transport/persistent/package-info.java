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
 * challenge) and groups them into generations; with encryption on,
 * {@link io.sparkmlp.driver.transport.persistent.FrameCipher} seals every later frame; the handshake picks each task's
 * {@link io.sparkmlp.driver.transport.persistent.StepChannel} once: frames over TCP
 * ({@link io.sparkmlp.driver.transport.persistent.TcpChannel}), or in memory for tasks in the driver's
 * JVM ({@link io.sparkmlp.driver.transport.persistent.LocalLink}; in local mode that removes most of the
 * step overhead, about 0.5 ms per 0.94 MB crossing the loopback socket).
 *
 * <p><b>Tree.</b> Over TCP the driver exchanges with the heads of {@link io.sparkmlp.driver.transport.persistent.Tree}'s
 * blocks only ({@code transport.fanout}); the other tasks join their parent task and
 * {@link io.sparkmlp.driver.transport.persistent.TreeRelay} relays requests down and adds block sums up,
 * in the order of {@link io.sparkmlp.driver.transport.MergeTree}, so the bits do not depend on the fan-out.
 * Links between tasks are let in and sealed exactly as the driver's: the same challenge, secret and ciphers.
 *
 * <p><b>Hostile networks.</b> The step server ({@link io.sparkmlp.driver.transport.persistent.StepServer})
 * listens on {@code transport.port} (any free port, or the first free one of a range), handshakes
 * in a bounded pool ({@code transport.maxHandshakes} at once; more are closed at once), drops a
 * connection without a complete, authenticated HELLO at an absolute deadline from its accept
 * ({@code transport.handshakeTimeout}, however slowly its bytes arrive), logs refusals rate-limited,
 * keeps TCP keepalive on at both ends, and closes a generation when Spark reports an executor on its
 * tasks' host removed ({@link io.sparkmlp.driver.transport.persistent.ExecutorLoss}). Its timeouts follow
 * {@code spark.network.timeout} unless set. Under dynamic allocation Spark runs no barrier stage, so
 * there this transport is not used ({@link io.sparkmlp.driver.transport.persistent.PersistentTransport#unavailable}).
 *
 * <p><b>What protects what.</b> The per-run secret (32 random bytes made on the driver) reaches the
 * executors inside the task closure, which Spark ships over its own RPC. So:
 * <ul>
 *   <li><i>Spark's authentication on</i> ({@code spark.authenticate}; with {@code spark.network.crypto.enabled}
 *       or {@code spark.ssl.*} also encrypted): only the cluster's authenticated executors get the closure,
 *       so only they can answer the challenge; and every frame after the HELLO is sealed with AES-256-GCM
 *       ({@link io.sparkmlp.driver.transport.persistent.FrameCipher}: a key per direction, derived with HKDF-SHA256
 *       from the secret and both handshake nonces; the frame counter as the IV), so weights and gradients are
 *       as confidential as Spark's own traffic, and an altered, injected, replayed or reordered frame is refused
 *       (the connection closes; Spark retries the stage). The step channel is thus at least as protected as
 *       Spark's: with {@code spark.authenticate} alone Spark authenticates but does not encrypt; the step
 *       frames are encrypted anyway.</li>
 *   <li><i>Spark's security off</i> (the default): anyone who can reach Spark's ports can read the closure, and
 *       run code on the executors, anyway. The challenge still keeps out whoever reaches only the step port;
 *       frames after the HELLO travel in clear without a MAC, like Spark's own RPC and shuffle then. Sealing
 *       them costs about 0.3 ms per 0.94 MB frame to seal and as much to open (a 235k-parameter network),
 *       on the driver once per task per step, and would guard against nothing Spark does not already leave
 *       open; {@code transport.encrypt = true} turns it on all the same.</li>
 *   <li><i>In-process link</i> (local mode): after the HELLO nothing crosses a socket; the link's registry
 *       entry is found only with the secret.</li>
 * </ul>
 *
 * <p>Diagnostics go to SLF4J; the one line the user reads here, a task lost and the stage restarting,
 * goes to the run's log stream.
 *
 * <p>May use: {@code transport}, {@code step}, {@code eval}, {@code data}, {@code config} (the {@code transport.*} options).
 */
package io.sparkmlp.driver.transport.persistent;
