package io.sparkmlp.driver.transport.persistent;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The wire format of the persistent transport: length-prefixed binary frames over one TCP
 * connection per task, every number <b>little-endian</b>, no Java serialization.
 *
 * <pre>
 * frame     = int32 bodyLength, body                  (bodyLength excludes its own 4 bytes)
 * body      = int8 type, payload
 *
 * CHALLENGE driver → task  type 1: nonce[32]                                          body 33
 * HELLO     task → driver  type 2: int32 magic "SMLP", int32 version, int32 partition,
 *                                  int32 launch, int32 attempt, int32 flags, mac[32]  body 57
 *           mac = HMAC-SHA256(secret, nonce ‖ partition ‖ launch ‖ attempt ‖ flags)
 *           flags bit 0 (IN_PROCESS): the task runs in the driver's JVM and exchanges steps
 *           through its {@link LocalLink} instead of STEP and PARTIAL frames
 * STEP      driver → task  type 3: int64 step, int32 n, float32[n]                   body 13 + 4n
 * PARTIAL   task → driver  type 4: int32 partition, int64 step, int64 count,
 *                                  float64 lossSum, int64 kernelNanos, int32 n,
 *                                  float32[n]                                         body 41 + 4n
 *           n = parameter count, or 0 when the partition used no rows (count 0)
 * STOP      driver → task  type 5: (empty)                                            body 1
 * EVAL      driver → task  type 6: int64 step, int32 n, float32[n]                   body 13 + 4n
 *           (evaluate these weights on the task's validation block)
 * EVALUATED task → driver  type 7: int32 partition, int64 step, int8 hasBlock,
 *                                  float64 lossSum, int64 count, int64 correct,
 *                                  float64 squaredErrorSum, int32 m, int64[m]        body 50 + 8m
 *           m = classes² (the confusion matrix, row-major), 0 for regression;
 *           hasBlock 0: the partition holds no validation block (the other fields are 0)
 * </pre>
 *
 * Every reader knows the one or two body lengths it can accept and refuses anything else before
 * reading (or allocating for) the body, so a peer cannot make the other side allocate.
 */
final class StepProtocol {

    static final int MAGIC = 0x504C4D53; // "SMLP" read as little-endian bytes
    static final int VERSION = 2;
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

    /** HELLO flag: the task runs in the driver's JVM and uses its {@link LocalLink}. */
    static final int IN_PROCESS = 1;

    static final int CHALLENGE_BODY = 1 + NONCE_BYTES;
    static final int HELLO_BODY = 1 + 6 * 4 + MAC_BYTES;
    static final int STEP_HEADER = 1 + 8 + 4;
    static final int PARTIAL_HEADER = 1 + 4 + 8 + 8 + 8 + 8 + 4;
    static final int STOP_BODY = 1;
    static final int EVALUATED_HEADER = 1 + 4 + 8 + 1 + 8 + 8 + 8 + 8 + 4;

    private StepProtocol() {
    }

    /** A frame that breaks the protocol: wrong length, type, step or partition. */
    static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }

    static int stepBody(int parameters) {
        return STEP_HEADER + 4 * parameters;
    }

    /** EVALUATED body for a confusion matrix of {@code cells} counts. */
    static int evaluatedBody(int cells) {
        return EVALUATED_HEADER + 8 * cells;
    }

    static int partialBody(int parameters) {
        return PARTIAL_HEADER + 4 * parameters;
    }

    static ByteBuffer buffer(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Reads a frame's length and checks it is one of the two accepted body lengths.
     *
     * @param what names the frame for the error, e.g. "partial of partition 1 at step 7"
     */
    static int readLength(DataInputStream in, int expected, int alternative, String what) throws IOException {
        int b0 = in.read();
        if (b0 < 0) throw new EOFException("connection closed before the " + what);
        int len = b0 | (in.readUnsignedByte() << 8) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 24);
        if (len != expected && len != alternative) {
            throw new ProtocolException(what + ": frame of " + len + " bytes, expected " + expected
                    + (alternative != expected ? " or " + alternative : ""));
        }
        return len;
    }

    /** Reads a body of {@code len} bytes into {@code buf} (reused) and checks its type byte. */
    static ByteBuffer readBody(DataInputStream in, ByteBuffer buf, int len, byte type, String what) throws IOException {
        return readBody(in, buf, len, type, type, what);
    }

    /** Reads a body of {@code len} bytes into {@code buf} (reused) whose type byte is one of two; read it with {@code get(0)}. */
    static ByteBuffer readBody(DataInputStream in, ByteBuffer buf, int len, byte type, byte alternative, String what)
            throws IOException {
        ByteBuffer b = buf.capacity() >= len ? buf : buffer(len);
        in.readFully(b.array(), 0, len);
        b.clear().limit(len);
        byte found = b.get();
        if (found != type && found != alternative) {
            throw new ProtocolException(what + ": frame type " + found + ", expected " + type
                    + (alternative != type ? " or " + alternative : ""));
        }
        return b;
    }

    /**
     * A STEP or EVAL frame of {@code weights} in {@code buf} (reused when large enough), ready for
     * {@link #writeFrame}.
     */
    static ByteBuffer weightsFrame(ByteBuffer buf, byte type, long step, float[] weights) {
        ByteBuffer f = startFrame(buf, stepBody(weights.length), type);
        f.putLong(step).putInt(weights.length);
        f.asFloatBuffer().put(weights);
        f.position(f.position() + 4 * weights.length);
        return f;
    }

    /** Writes the length prefix and the {@code body.position()} bytes of {@code body} in one call. */
    static void writeFrame(OutputStream out, ByteBuffer frame) throws IOException {
        int bodyLength = frame.position() - 4;
        frame.putInt(0, bodyLength);
        out.write(frame.array(), 0, frame.position());
        out.flush();
    }

    /** A frame buffer positioned after the (yet unset) length prefix, with the type byte written. */
    static ByteBuffer startFrame(ByteBuffer buf, int body, byte type) {
        ByteBuffer b = buf != null && buf.capacity() >= 4 + body ? buf : buffer(4 + body);
        b.clear();
        b.position(4);
        b.put(type);
        return b;
    }

    /** mac = HMAC-SHA256(secret, nonce ‖ partition ‖ launch ‖ attempt ‖ flags), integers little-endian. */
    static byte[] mac(byte[] secret, byte[] nonce, int partition, int launch, int attempt, int flags) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(nonce);
            mac.update(buffer(16).putInt(partition).putInt(launch).putInt(attempt).putInt(flags).array());
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JVM", e);
        }
    }

    /** Constant-time comparison. */
    static boolean macMatches(byte[] expected, byte[] found) {
        return MessageDigest.isEqual(expected, found);
    }
}
