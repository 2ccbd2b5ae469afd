package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.eval.EvalMetrics;
import io.sparkmlp.driver.step.GradientPartial;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The wire format of the persistent transport, both ways: every frame is written by a
 * {@link Writer} and read back by a {@link Reader} of this class, and by nothing else.
 * Length-prefixed binary frames over one TCP connection per task, every number <b>little-endian</b>,
 * no Java serialization.
 *
 * <pre>
 * frame     = int32 bodyLength, body                  (bodyLength excludes its own 4 bytes)
 * body      = int8 type, payload
 *
 * CHALLENGE driver → task  type 1: nonce[32]                                          body 33
 * HELLO     task → driver  type 2: int32 magic "SMLP", int32 version, int32 partition,
 *                                  int32 launch, int32 attempt, int32 flags, int32 treePort,
 *                                  helloNonce[32], mac[32]                            body 93
 *           mac = HMAC-SHA256(secret, nonce ‖ partition ‖ launch ‖ attempt ‖ flags ‖ treePort ‖ helloNonce)
 *           treePort: where the task accepts its children in the tree ({@link Tree}); 0 when it has none.
 *           A task also says HELLO to its parent task (treePort 0), which checks it as the driver does
 *           flags bit 0 (IN_PROCESS): the task runs in the driver's JVM and exchanges steps
 *           through its {@link LocalLink} instead of STEP and PARTIAL frames
 *           flags bit 1 (ENCRYPTED): every later frame, both ways, is sealed by a {@link FrameCipher}
 *           keyed by (secret, nonce, helloNonce); the driver refuses a hello whose bit is not its own
 * STEP      driver → task  type 3: int64 step, int32 n, float32[n]                   body 13 + 4n
 * PARTIAL   task → driver  type 4: int32 partition, int64 step, int64 count,
 *                                  float64 lossSum, int64 kernelNanos, int32 n,
 *                                  float32[n]                                         body 41 + 4n
 *           n = parameter count, or 0 when the partition used no rows (count 0)
 * STOP      driver → task  type 5: (empty)                                            body 1
 *           (a parent task relays STOP, STEP and EVAL to its children; they answer it as they answer the driver)
 * EVAL      driver → task  type 6: int64 step, int32 n, float32[n]                   body 13 + 4n
 *           (evaluate these weights on the task's validation block)
 * EVALUATED task → driver  type 7: int32 partition, int64 step, int8 hasBlock,
 *                                  float64 lossSum, int64 count, int64 correct,
 *                                  float64 squaredErrorSum, int32 m, int64[m]        body 50 + 8m
 *           m = classes² (the confusion matrix, row-major), 0 for regression;
 *           hasBlock 0: the partition holds no validation block (the other fields are 0)
 *           (a task of the tree hands up the EVALUATED of every partition of its block, in partition order)
 * TREE      driver → task  type 8: int32 partitions, int32 blockSize, int32 parentPort,
 *                                  int8 addressLength, address[16]                    body 30
 *           the first frame after the HELLO over TCP (or STOP): where the task stands in the tree of
 *           {@link Tree}; parentPort 0 and addressLength 0: its parent is the driver, else it connects
 *           to its parent task there (address: 4 or 16 bytes of IPv4/IPv6, zero-padded to 16)
 * </pre>
 *
 * With ENCRYPTED, a frame after the HELLO is {@code int32 length, ciphertext, tag[16]} ({@link FrameCipher}):
 * the lengths above grow by 16, and a frame whose tag does not check is refused.
 *
 * <p>Every read knows the one or two body lengths it can accept and refuses anything else before
 * reading (or allocating for) the body, so a peer cannot make the other side allocate. An answer
 * (PARTIAL, EVALUATED) must name the partition and step it was asked for.
 */
final class StepProtocol {

    static final int MAGIC = 0x504C4D53; // "SMLP" read as little-endian bytes
    static final int VERSION = 4;
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    static final int SECRET_BYTES = 32;
    static final int NONCE_BYTES = 32;
    static final int MAC_BYTES = 32;

    static final byte CHALLENGE = 1;
    static final byte HELLO = 2;
    static final byte STEP = 3;
    static final byte PARTIAL = 4;
    static final byte STOP = 5;
    static final byte EVAL = 6;
    static final byte EVALUATED = 7;
    static final byte TREE = 8;

    /** HELLO flag: the task runs in the driver's JVM and uses its {@link LocalLink}. */
    static final int IN_PROCESS = 1;
    /** HELLO flag: every frame after the HELLO is encrypted and authenticated ({@link FrameCipher}). */
    static final int ENCRYPTED = 2;

    static final int CHALLENGE_BODY = 1 + NONCE_BYTES;
    static final int HELLO_BODY = 1 + 7 * 4 + NONCE_BYTES + MAC_BYTES;
    static final int STEP_HEADER = 1 + 8 + 4;
    static final int PARTIAL_HEADER = 1 + 4 + 8 + 8 + 8 + 8 + 4;
    static final int STOP_BODY = 1;
    static final int EVALUATED_HEADER = 1 + 4 + 8 + 1 + 8 + 8 + 8 + 8 + 4;
    static final int TREE_BODY = 1 + 3 * 4 + 1 + 16;

    private StepProtocol() {
    }

    /** A frame that breaks the protocol: wrong length, type, step, partition or secret. */
    static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }

    /**
     * What a HELLO says (its MAC is made by {@link Writer#hello} and checked by {@link Reader#hello}).
     *
     * @param nonce the task's fresh nonce (with the challenge's, it keys the {@link FrameCipher}s)
     */
    record Hello(int partition, int launch, int attempt, int flags, int treePort, byte[] nonce) {
        /** A hello with a fresh random nonce and no tree port. */
        Hello(int partition, int launch, int attempt, int flags) {
            this(partition, launch, attempt, flags, 0, freshNonce());
        }

        /** A hello with a fresh random nonce. */
        Hello(int partition, int launch, int attempt, int flags, int treePort) {
            this(partition, launch, attempt, flags, treePort, freshNonce());
        }

        boolean inProcess() {
            return (flags & IN_PROCESS) != 0;
        }

        boolean encrypted() {
            return (flags & ENCRYPTED) != 0;
        }

        /** Equal fields and nonces of equal bytes. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Hello h && partition == h.partition && launch == h.launch && attempt == h.attempt
                    && flags == h.flags && treePort == h.treePort && Arrays.equals(nonce, h.nonce);
        }

        @Override
        public int hashCode() {
            return Objects.hash(partition, launch, attempt, flags, treePort, Arrays.hashCode(nonce));
        }

        @Override
        public String toString() {
            return "Hello[partition=" + partition + ", launch=" + launch + ", attempt=" + attempt + ", flags=" + flags
                    + ", treePort=" + treePort + "]";
        }
    }

    private static byte[] freshNonce() {
        byte[] n = new byte[NONCE_BYTES];
        RANDOM.nextBytes(n);
        return n;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What a TREE frame says: the tree's shape ({@link Tree#Tree(int, int)} of the partition count and
     * block size) and where the task's parent listens; {@code parent} null (port 0): the parent is the driver.
     */
    record Place(int partitions, int blockSize, InetAddress parent, int parentPort) {
    }

    /** A STEP or, with {@code evaluate}, an EVAL: the weights of {@code step}. */
    record Request(long step, float[] weights, boolean evaluate) {
    }

    static int stepBody(int parameters) {
        return STEP_HEADER + 4 * parameters;
    }

    static int partialBody(int parameters) {
        return PARTIAL_HEADER + 4 * parameters;
    }

    /** EVALUATED body for a confusion matrix of {@code cells} counts. */
    static int evaluatedBody(int cells) {
        return EVALUATED_HEADER + 8 * cells;
    }

    /**
     * The STEP or EVAL frame of {@code request}, in {@code reuse} when it is large enough, ready for
     * {@link Writer#frame}: the driver encodes a round's weights once and writes them to every task.
     */
    static ByteBuffer encode(ByteBuffer reuse, Request request) {
        float[] w = request.weights();
        ByteBuffer f = startFrame(reuse, stepBody(w.length), request.evaluate() ? EVAL : STEP);
        f.putLong(request.step()).putInt(w.length);
        f.asFloatBuffer().put(w);
        f.position(f.position() + 4 * w.length);
        return f;
    }

    /** mac = HMAC-SHA256(secret, nonce ‖ partition ‖ launch ‖ attempt ‖ flags ‖ treePort ‖ helloNonce), integers little-endian. */
    static byte[] mac(byte[] secret, byte[] nonce, Hello hello) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(nonce);
            mac.update(buffer(20).putInt(hello.partition()).putInt(hello.launch()).putInt(hello.attempt())
                    .putInt(hello.flags()).putInt(hello.treePort()).array());
            mac.update(hello.nonce());
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JVM", e);
        }
    }

    private static ByteBuffer buffer(int bytes) {
        return ByteBuffer.allocate(bytes).order(ORDER);
    }

    /** A frame buffer positioned after the (yet unset) length prefix, with the type byte written. */
    private static ByteBuffer startFrame(ByteBuffer reuse, int body, byte type) {
        ByteBuffer b = reuse != null && reuse.capacity() >= 4 + body ? reuse : buffer(4 + body);
        b.clear();
        b.position(4);
        b.put(type);
        return b;
    }

    /** Frames written to one stream; the buffer of the largest frame so far is reused. */
    static final class Writer {
        private final OutputStream out;
        private ByteBuffer buf;
        /** Seals every frame from now on; null: frames in clear. */
        private FrameCipher seal;
        private byte[] sealed = new byte[0];
        /** Bytes written so far, length prefixes and tags included. */
        private long wireBytes;

        Writer(OutputStream out) {
            this.out = out;
        }

        /** Every frame written after this call is sealed by {@code cipher}. */
        void encrypt(FrameCipher cipher) {
            this.seal = cipher;
        }

        void challenge(byte[] nonce) throws IOException {
            frame(start(CHALLENGE_BODY, CHALLENGE).put(nonce));
        }

        void hello(Hello hello, byte[] secret, byte[] nonce) throws IOException {
            frame(start(HELLO_BODY, HELLO).putInt(MAGIC).putInt(VERSION).putInt(hello.partition()).putInt(hello.launch())
                    .putInt(hello.attempt()).putInt(hello.flags()).putInt(hello.treePort()).put(hello.nonce())
                    .put(mac(secret, nonce, hello)));
        }

        void request(Request request) throws IOException {
            buf = encode(buf, request);
            frame(buf);
        }

        void stop() throws IOException {
            frame(start(STOP_BODY, STOP));
        }

        /** The TREE frame of {@code place}. */
        void tree(Place place) throws IOException {
            byte[] address = place.parent() == null ? new byte[0] : place.parent().getAddress();
            frame(start(TREE_BODY, TREE).putInt(place.partitions()).putInt(place.blockSize()).putInt(place.parentPort())
                    .put((byte) address.length).put(address).put(new byte[16 - address.length]));
        }

        /** The PARTIAL answering {@code step}: no gradient values when the partition used no rows. */
        void partial(long step, GradientPartial p) throws IOException {
            int m = p.count() == 0 ? 0 : p.gradSum().length;
            ByteBuffer f = start(partialBody(m), PARTIAL).putInt(p.partition()).putLong(step).putLong(p.count())
                    .putDouble(p.lossSum()).putLong(p.kernelNanos()).putInt(m);
            f.asFloatBuffer().put(p.gradSum(), 0, m);
            f.position(f.position() + 4 * m);
            frame(f);
        }

        /** The EVALUATED answering {@code step}; {@code m} null: the partition holds no validation block. */
        void evaluated(int partition, long step, EvalMetrics m, int cells) throws IOException {
            ByteBuffer f = start(evaluatedBody(cells), EVALUATED).putInt(partition).putLong(step).put((byte) (m == null ? 0 : 1));
            if (m == null) {
                f.putDouble(0).putLong(0).putLong(0).putDouble(0).putInt(cells).put(new byte[8 * cells]);
            } else {
                f.putDouble(m.lossSum()).putLong(m.count()).putLong(m.correct()).putDouble(m.squaredErrorSum()).putInt(cells);
                for (int i = 0; i < cells; i++) f.putLong(m.confusion()[i]);
            }
            frame(f);
        }

        /** Writes a complete frame (the length prefix is set here) in one call. */
        void frame(ByteBuffer frame) throws IOException {
            int body = frame.position() - 4;
            if (seal == null) {
                frame.putInt(0, body);
                out.write(frame.array(), 0, frame.position());
                wireBytes += frame.position();
            } else {
                if (sealed.length < 4 + body + FrameCipher.TAG_BYTES) sealed = new byte[4 + body + FrameCipher.TAG_BYTES];
                int n = seal.seal(frame.array(), 4, body, sealed);
                out.write(sealed, 0, n);
                wireBytes += n;
            }
            out.flush();
        }

        /** Bytes written so far, length prefixes and tags included. */
        long wireBytes() {
            return wireBytes;
        }

        private ByteBuffer start(int body, byte type) {
            buf = startFrame(buf, body, type);
            return buf;
        }
    }

    /** Frames read from one stream; the buffer of the largest frame so far is reused. */
    static final class Reader {
        private final DataInputStream in;
        private ByteBuffer buf;
        /** Opens every frame from now on; null: frames in clear. */
        private FrameCipher open;
        private byte[] sealed = new byte[0];
        /** Bytes of the frames read so far, length prefixes and tags included. */
        private long wireBytes;

        Reader(DataInputStream in) {
            this.in = in;
        }

        /** Every frame read after this call must be sealed by the peer's {@code cipher}. */
        void decrypt(FrameCipher cipher) {
            this.open = cipher;
        }

        /** Bytes of the frames read so far, length prefixes and tags included. */
        long wireBytes() {
            return wireBytes;
        }

        byte[] challenge() throws IOException {
            ByteBuffer b = body(length(CHALLENGE_BODY, CHALLENGE_BODY, "challenge"), CHALLENGE, CHALLENGE, "challenge");
            byte[] nonce = new byte[NONCE_BYTES];
            b.get(nonce);
            return nonce;
        }

        /**
         * A HELLO answering {@code nonce} with {@code secret}, of a partition in {@code [0, partitions)}.
         *
         * @param peer names the sender in errors
         */
        Hello hello(byte[] secret, byte[] nonce, int partitions, String peer) throws IOException {
            String what = "hello from " + peer;
            ByteBuffer b = body(length(HELLO_BODY, HELLO_BODY, what), HELLO, HELLO, what);
            int magic = b.getInt();
            int version = b.getInt();
            int partition = b.getInt();
            int launch = b.getInt();
            int attempt = b.getInt();
            int flags = b.getInt();
            int treePort = b.getInt();
            byte[] helloNonce = new byte[NONCE_BYTES];
            b.get(helloNonce);
            Hello hello = new Hello(partition, launch, attempt, flags, treePort, helloNonce);
            byte[] mac = new byte[MAC_BYTES];
            b.get(mac);
            if (magic != MAGIC || version != VERSION) {
                throw new ProtocolException(what + ": magic " + Integer.toHexString(magic) + " version " + version
                        + ", expected " + Integer.toHexString(MAGIC) + " version " + VERSION);
            }
            if (!MessageDigest.isEqual(mac(secret, nonce, hello), mac)) {
                throw new ProtocolException(what + ": wrong secret");
            }
            if (hello.partition() < 0 || hello.partition() >= partitions) {
                throw new ProtocolException(what + ": partition " + hello.partition() + ", expected 0.." + (partitions - 1));
            }
            if (treePort < 0 || treePort > 0xffff) {
                throw new ProtocolException(what + ": tree port " + treePort + ", expected 0..65535");
            }
            return hello;
        }

        /**
         * The next STEP or EVAL of {@code weights.length} weights, read into {@code weights}; null for STOP.
         * The caller has waited for the frame's first byte (see {@link TcpChannel}).
         */
        Request request(float[] weights) throws IOException {
            int n = weights.length;
            int len = length(stepBody(n), STOP_BODY, "step frame");
            if (len == STOP_BODY) {
                body(len, STOP, STOP, "stop frame");
                return null;
            }
            ByteBuffer b = body(len, STEP, EVAL, "step frame");
            long step = b.getLong();
            int count = b.getInt();
            if (count != n) throw new ProtocolException("step frame with " + count + " weights, expected " + n);
            b.asFloatBuffer().get(weights);
            return new Request(step, weights, b.get(0) == EVAL);
        }

        /**
         * The TREE frame that follows the HELLO, or null for STOP (the launch ended before the tree was made).
         * The caller has waited for the frame's first byte (see {@link TcpChannel}).
         */
        Place tree() throws IOException {
            int len = length(TREE_BODY, STOP_BODY, "tree frame");
            if (len == STOP_BODY) {
                body(len, STOP, STOP, "stop frame");
                return null;
            }
            ByteBuffer b = body(len, TREE, TREE, "tree frame");
            int partitions = b.getInt();
            int blockSize = b.getInt();
            int port = b.getInt();
            int addressLength = b.get();
            byte[] address = new byte[16];
            b.get(address);
            boolean driver = port == 0 && addressLength == 0;
            if (partitions < 1 || blockSize < 1 || Integer.bitCount(blockSize) != 1 || port < 0 || port > 0xffff
                    || !(driver || (port > 0 && (addressLength == 4 || addressLength == 16)))) {
                throw new ProtocolException("tree frame: " + partitions + " partitions, block size " + blockSize + ", parent port "
                        + port + ", address of " + addressLength + " bytes");
            }
            return new Place(partitions, blockSize, driver ? null : InetAddress.getByAddress(Arrays.copyOf(address, addressLength)),
                    port);
        }

        /**
         * The PARTIAL of {@code partition} at {@code step}, with {@code parameters} gradient values (or
         * none, with no rows) read into {@code grad}.
         */
        GradientPartial partial(int partition, long step, float[] grad) throws IOException {
            int parameters = grad.length;
            String what = "partial of partition " + partition + " at step " + step;
            int len = length(partialBody(parameters), PARTIAL_HEADER, what);
            ByteBuffer b = body(len, PARTIAL, PARTIAL, what);
            int p = b.getInt();
            long s = b.getLong();
            long count = b.getLong();
            double loss = b.getDouble();
            long kernelNanos = b.getLong();
            int n = b.getInt();
            requireAddressed(what, p, s, partition, step);
            if (n != (len == PARTIAL_HEADER ? 0 : parameters) || (count == 0) != (n == 0) || count < 0) {
                throw new ProtocolException(what + ": " + n + " gradient values for " + count + " rows in a frame of " + len + " bytes");
            }
            if (n == 0) return new GradientPartial(p, new float[0], 0, 0, kernelNanos);
            b.asFloatBuffer().get(grad);
            return new GradientPartial(p, grad, loss, count, kernelNanos);
        }

        /** The EVALUATED of {@code partition} at {@code step}: its metrics, or null when it holds no validation block. */
        EvalMetrics evaluated(int partition, long step, int cells) throws IOException {
            String what = "evaluation of partition " + partition + " at step " + step;
            int body = evaluatedBody(cells);
            ByteBuffer b = body(length(body, body, what), EVALUATED, EVALUATED, what);
            int p = b.getInt();
            long s = b.getLong();
            byte hasBlock = b.get();
            double loss = b.getDouble();
            long count = b.getLong();
            long correct = b.getLong();
            double sq = b.getDouble();
            int m = b.getInt();
            requireAddressed(what, p, s, partition, step);
            if (m != cells || count < 0 || correct < 0 || correct > count || (hasBlock != 0 && hasBlock != 1)) {
                throw new ProtocolException(what + ": " + m + " confusion counts (expected " + cells + "), " + count + " rows, "
                        + correct + " correct, block flag " + hasBlock);
            }
            if (hasBlock == 0) return null;
            long[] confusion = null;
            if (cells > 0) {
                confusion = new long[cells];
                b.asLongBuffer().get(confusion);
            }
            return new EvalMetrics(loss, count, correct, sq, confusion);
        }

        /** Refuses an answer whose header names another partition or step than the one awaited. */
        private static void requireAddressed(String what, int p, long s, int partition, long step) throws ProtocolException {
            if (p != partition || s != step) {
                throw new ProtocolException(what + ": frame is for partition " + p + " at step " + s);
            }
        }

        /**
         * A frame's (plain) body length, checked to be one of the two accepted body lengths before anything
         * is allocated; a sealed frame is {@link FrameCipher#TAG_BYTES} longer on the wire.
         */
        private int length(int expected, int alternative, String what) throws IOException {
            int b0 = in.read();
            if (b0 < 0) throw new EOFException("connection closed before the " + what);
            int len = b0 | (in.readUnsignedByte() << 8) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 24);
            if (open != null) len -= FrameCipher.TAG_BYTES;
            if (len != expected && len != alternative) {
                throw new ProtocolException(what + ": frame of " + len + " bytes, expected " + expected
                        + (alternative != expected ? " or " + alternative : ""));
            }
            return len;
        }

        /** A body of {@code len} bytes whose type byte is one of two, positioned after the type byte. */
        private ByteBuffer body(int len, byte type, byte alternative, String what) throws IOException {
            if (buf == null || buf.capacity() < len) buf = buffer(len);
            int wire = open == null ? len : len + FrameCipher.TAG_BYTES;
            if (open != null && sealed.length < wire) sealed = new byte[wire];
            try {
                in.readFully(open == null ? buf.array() : sealed, 0, wire);
            } catch (EOFException e) {
                throw new EOFException(what + ": connection closed within a frame of " + wire + " bytes");
            }
            if (open != null) open.open(sealed, wire, buf.array(), what);
            wireBytes += 4 + wire;
            buf.clear().limit(len);
            byte found = buf.get();
            if (found != type && found != alternative) {
                throw new ProtocolException(what + ": frame type " + found + ", expected " + type
                        + (alternative != type ? " or " + alternative : ""));
            }
            return buf;
        }
    }
}
