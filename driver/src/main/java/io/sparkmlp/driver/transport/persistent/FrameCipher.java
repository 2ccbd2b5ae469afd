package io.sparkmlp.driver.transport.persistent;

import io.sparkmlp.driver.transport.persistent.StepProtocol.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticated encryption of one direction of a step channel: AES-256-GCM per frame,
 *
 * <pre>
 * prk       = HMAC-SHA256(challengeNonce ‖ helloNonce, secret)                 (HKDF-Extract, RFC 5869)
 * key(dir)  = HMAC-SHA256(prk, "sparkmlp step v3 " ‖ dir ‖ 0x01)               (HKDF-Expand, 32 bytes)
 * frame i   = int32 length, AES-GCM(key(dir), iv = 0x00000000 ‖ int64 i, aad = length)(body) ‖ tag[16]
 * </pre>
 *
 * with {@code dir} "driver to task" or "task to driver" and {@code i} counting this direction's frames
 * from 0 on both ends. Each connection has its own keys (both nonces are fresh), so a frame of another
 * connection does not open; a frame replayed, dropped, reordered or altered (body, tag or length)
 * fails the tag check at the receiver, which refuses it.
 */
final class FrameCipher {

    static final int TAG_BYTES = 16;
    private static final int TAG_BITS = 8 * TAG_BYTES;

    private final SecretKeySpec key;
    private final Cipher cipher;
    private final byte[] iv = new byte[12];
    private final byte[] aad = new byte[4];
    private long counter;

    private FrameCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM unavailable in this JVM", e);
        }
    }

    /** The cipher of frames the driver sends. */
    static FrameCipher driverToTask(byte[] secret, byte[] challengeNonce, byte[] helloNonce) {
        return new FrameCipher(hkdf(secret, challengeNonce, helloNonce, "driver to task"));
    }

    /** The cipher of frames the task sends. */
    static FrameCipher taskToDriver(byte[] secret, byte[] challengeNonce, byte[] helloNonce) {
        return new FrameCipher(hkdf(secret, challengeNonce, helloNonce, "task to driver"));
    }

    private static byte[] hkdf(byte[] secret, byte[] challengeNonce, byte[] helloNonce, String direction) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] salt = new byte[challengeNonce.length + helloNonce.length];
            System.arraycopy(challengeNonce, 0, salt, 0, challengeNonce.length);
            System.arraycopy(helloNonce, 0, salt, challengeNonce.length, helloNonce.length);
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            byte[] prk = mac.doFinal(secret);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            mac.update(("sparkmlp step v3 " + direction).getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 1);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JVM", e);
        }
    }

    /**
     * Encrypts {@code len} body bytes of {@code in} at {@code off} into {@code out} after its 4-byte
     * length prefix, which it writes ({@code len + TAG_BYTES}, little-endian); returns the frame's size.
     */
    int seal(byte[] in, int off, int len, byte[] out) {
        int wire = len + TAG_BYTES;
        ByteBuffer.wrap(out, 0, 4).order(StepProtocol.ORDER).putInt(wire);
        try {
            init(Cipher.ENCRYPT_MODE, wire);
            return 4 + cipher.doFinal(in, off, len, out, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM failed to encrypt a frame", e);
        }
    }

    /**
     * Decrypts and checks the {@code wire} bytes (body and tag) of {@code in} into {@code out} at 0.
     *
     * @param what names the frame in errors
     * @throws ProtocolException when the tag does not match: the frame was altered, replayed or reordered
     */
    void open(byte[] in, int wire, byte[] out, String what) throws ProtocolException {
        long frame = counter;
        try {
            init(Cipher.DECRYPT_MODE, wire);
            cipher.doFinal(in, 0, wire, out, 0);
        } catch (AEADBadTagException e) {
            throw new ProtocolException(what + ": frame " + frame + " of this connection failed authentication"
                    + " (altered, replayed or out of order)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM failed to decrypt a frame", e);
        }
    }

    private void init(int mode, int wire) throws GeneralSecurityException {
        ByteBuffer.wrap(iv, 4, 8).putLong(counter++);
        ByteBuffer.wrap(aad).order(StepProtocol.ORDER).putInt(wire);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(aad);
    }
}
