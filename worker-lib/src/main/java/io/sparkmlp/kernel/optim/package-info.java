/**
 * Optimizers, learning-rate schedules and gradient clipping, and the full-batch L-BFGS solver;
 * they run on the driver only. They use the kernel's {@code Architecture} (for the weight-decay
 * mask) and {@code Parameters} (for norms), and the JDK; nothing else.
 *
 * <p>Use: {@code Optimizer opt = Optimizers.create(spec, arch)}, then each step
 * {@code opt.step(params, meanGrad, schedule.rate(opt.stepsTaken()))}; checkpoint with
 * {@link io.sparkmlp.kernel.optim.Optimizer#state()}, resume with
 * {@link io.sparkmlp.kernel.optim.Optimizer#restore}. Formulas are on
 * {@link io.sparkmlp.kernel.optim.OptimizerSpec} and {@link io.sparkmlp.kernel.optim.LrSchedule}.
 *
 * <p>Full batch: {@code Lbfgs solver = Lbfgs.forNetwork(lbfgsSpec, arch, initialWeights)}, then
 * {@code while (!solver.done()) solver.tell(meanLoss(w), meanGradient(w))} with
 * {@code w = solver.nextPoint()}, each evaluation over the whole training split; the result is
 * {@link io.sparkmlp.kernel.optim.Lbfgs#point()}. Checkpoint with
 * {@link io.sparkmlp.kernel.optim.Lbfgs#state()} (an {@link io.sparkmlp.kernel.optim.LbfgsState})
 * between any two evaluations, resume with {@link io.sparkmlp.kernel.optim.Lbfgs#restore}.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li>Order inside a step: clip the data gradient by its global norm, then weight decay (L2 on the
 *       gradient, or AdamW's decoupled shrink of the weights), then the rule. Clipping first is
 *       PyTorch's order ({@code clip_grad_norm_} before {@code optimizer.step()}).</li>
 *   <li>Weight decay touches weights only: the ranges {@code [weightOffset(l), biasOffset(l))} are
 *       computed once per optimizer from the {@code Architecture}.</li>
 *   <li>State is float32, shaped like the parameters (Adam: 2 arrays, momentum: 1, SGD: 0). SGD and
 *       momentum/Nesterov, Adam and weight decay compute each entry in float (their constants rounded
 *       to float once per step, as PyTorch does), so the JIT runs them on float vectors; Adam's bias
 *       corrections are computed in double from {@code StrictMath.pow},
 *       the cosine schedule uses {@code StrictMath.cos}, so results are the same bits on every JVM.
 *       Loops are sequential: same inputs ⇒ same bits, and a state()/restore() round trip continues
 *       bit-identically. The gradient's global norm (for clipping and {@code lastGradientNorm}) is
 *       {@code Reductions.layerNorms}' fixed-order sum, which the training loop computes once for
 *       the layer norms it logs and hands to {@code step(params, grad, η, norm)}.</li>
 *   <li>Cost, 784-256-128-10 (235,146 parameters): the momentum update in double with a conversion
 *       per entry took about 0.5 ms, a third of a batch-128 kernel step, once the persistent
 *       transport had removed the Spark job around it; in float it takes about 0.04 ms (issue 14,
 *       BENCHMARKS.md). Adam likewise: 2–3 ms per step in double, about 0.1 ms in float.</li>
 *   <li>Cosine allows {@code minRate = 0} (decay to zero, PyTorch's default); step count T is the
 *       step at which the rate reaches the minimum, so with T = total steps the last step
 *       (t = T−1) still has a small positive rate.</li>
 *   <li>L-BFGS is driven by reverse communication (ask {@code nextPoint}, {@code tell} the loss and
 *       gradient) rather than calling a function, because each evaluation is a distributed round
 *       and the loop must be able to checkpoint between any two. That is why it is written here
 *       and not taken from a library: Breeze's {@code LBFGS} (what Spark MLlib uses) and the other
 *       JVM implementations call the objective themselves and keep the line search's state on
 *       their stack.</li>
 *   <li>L-BFGS choices, and where they follow Breeze/MLlib: history m = 10, tolerance 1e-6 and
 *       100 iterations as MLlib's MultilayerPerceptronClassifier; first trial step 1/‖g‖ on the
 *       first iteration, 1 after, as Breeze. Different from Breeze: the loss test is the relative
 *       change of the last step (Breeze compares with the worst of the last 20 values, relative
 *       to the initial loss); the gradient test is ‖g‖ ≤ gtol·max(|f|, 1) with its own tolerance
 *       (Breeze: ‖g‖ ≤ max(tol·|f|, 1e-8)); a line search may take 25 evaluations (PyTorch's
 *       {@code max_ls}; Breeze 10 + 10); the Wolfe conditions are judged on the float step
 *       actually taken, so every stored pair has sᵀy &gt; 0.</li>
 *   <li>L-BFGS state is float where it is shaped like the parameters (the point, its gradient,
 *       the pairs s and y, each rounded once when stored) and double for the
 *       scalars, so a checkpoint is float32 tensors plus a few numbers; the direction and trial
 *       point are recomputed on restore by the same loops, which is what makes a restore in the
 *       middle of a line search continue with the same bits.</li>
 *   <li>With a float32 kernel the mean loss carries rounding of about 1e-8 (measured on a
 *       200-row logistic problem), below which no line search can tell points apart; the default
 *       loss tolerance stops well before that (there: within 1e-6 of the optimal loss in 7
 *       iterations), and with the tolerance off the solver ends with LINE_SEARCH_FAILED about
 *       2e-5 from the optimum. On Rosenbrock from (−1.2, 1) it takes 35 iterations, 44
 *       evaluations (N&amp;W report 34 iterations for BFGS).</li>
 * </ul>
 */
package io.sparkmlp.kernel.optim;
