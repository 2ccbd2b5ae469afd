/**
 * The model file: {@link io.sparkmlp.kernel.io.Model} (what a trained network is),
 * {@link io.sparkmlp.kernel.io.ModelCodec} (version-1 bytes, documented in
 * {@code docs/MODEL_FORMAT.md}), {@link io.sparkmlp.kernel.io.ModelFile} (atomic write, read) and
 * {@link io.sparkmlp.kernel.io.ModelFormatException} (one-line decode errors). Binary,
 * little-endian, checksummed, readable with numpy; never Java serialization.
 *
 * <p>The container is shared with the driver's training checkpoints, in two layers each written
 * once: {@link io.sparkmlp.kernel.io.FramedFile} (magic, version, JSON header, data section,
 * CRC-32, the atomic write) and {@link io.sparkmlp.kernel.io.TensorFile} (the header's tensor
 * table and the float32 tensors it maps, and typed reads of header keys). A format's codec keeps
 * only its own header keys, tensor names and shapes.
 *
 * <p>May use: the JDK, Jackson (the header JSON) and {@code io.sparkmlp.kernel}. Used by: the
 * driver (model files, checkpoints, the CLI's inspect/predict/evaluate).
 */
package io.sparkmlp.kernel.io;
