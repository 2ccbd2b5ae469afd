package io.sparkmlp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The oracle is itself checked: its backpropagated gradient against central finite differences
 * of its own loss, in double, for every activation × output/loss and every test architecture.
 *
 * <p>Step {@code h = 1e-5}: the truncation error of a central difference is ~h²·f'''/6 ≈ 2e-11
 * and the rounding error ~ε·|L|/h ≈ 2e-11·|L|; measured worst per-layer error 3e-8, against a
 * bound of 1e-6 (h = 1e-6 gave 2.4e-7, rounding-dominated). Relative error is
 * {@code ‖g − fd‖ / max(‖g‖, ‖fd‖, 1e-12)}, on the whole vector and on each layer. ReLU kinks: the
 * batches keep only rows whose hidden pre-activations are at least {@link TestNets#KINK_MARGIN}
 * (1e-3) from 0; a step of 1e-5 moves a pre-activation by about 1e-5·|input| ≪ 1e-3, so no unit
 * crosses its kink and the loss is smooth on the whole stencil.
 */
class ReferenceMlpTest {

    private static final double STEP = 1e-5;
    private static final double TOLERANCE = 1e-6;

    static Stream<Arguments> activationsAndLosses() {
        return Stream.of(Activation.values())
                .flatMap(a -> Stream.of(OutputLoss.values()).map(l -> Arguments.of(a, l)));
    }

    @ParameterizedTest(name = "{0} × {1}")
    @MethodSource("activationsAndLosses")
    void gradientMatchesCentralFiniteDifferences(Activation act, OutputLoss loss) {
        long seed = 1000 + 10L * act.ordinal() + loss.ordinal();
        for (Architecture arch : TestNets.architectures(act, loss)) {
            float[] pf = TestNets.randomParams(arch, seed);
            TestNets.Batch b = TestNets.randomBatch(arch, pf, 6, seed + 1, 2, 1);
            double[] p = ReferenceMlp.toDouble(pf);
            double[] x = b.xd(), y = b.labelsd();

            ReferenceMlp.Result r = ReferenceMlp.lossAndGradient(arch, p, x, b.xOff(), y, b.labelOff(), b.rows());
            assertEquals(ReferenceMlp.loss(arch, p, x, b.xOff(), y, b.labelOff(), b.rows()), r.loss(), 0.0,
                    arch + ": loss of the gradient pass differs from the plain loss");

            double[] fd = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                double keep = p[i];
                p[i] = keep + STEP;
                double up = ReferenceMlp.loss(arch, p, x, b.xOff(), y, b.labelOff(), b.rows());
                p[i] = keep - STEP;
                double down = ReferenceMlp.loss(arch, p, x, b.xOff(), y, b.labelOff(), b.rows());
                p[i] = keep;
                fd[i] = (up - down) / (2 * STEP);
            }
            assertTrue(TestNets.norm(r.grad()) > 1e-3, arch + ": gradient is (nearly) zero, test would be vacuous");
            double err = TestNets.relError(r.grad(), fd);
            assertTrue(err <= TOLERANCE, arch + ": reference gradient vs finite differences, relative error "
                    + err + " > " + TOLERANCE);
            // Every layer on its own too, so a small layer's error cannot hide behind a big one.
            for (int l = 0; l < arch.numLayers(); l++) {
                int off = arch.weightOffset(l), len = arch.layerParameterCount(l);
                double e = TestNets.relError(TestNets.slice(r.grad(), off, len), TestNets.slice(fd, off, len));
                assertTrue(e <= TOLERANCE, arch + " layer " + l + ": relative error " + e + " > " + TOLERANCE);
            }
        }
    }
}
