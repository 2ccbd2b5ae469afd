/**
 * The model file: {@link io.sparkmlp.kernel.io.Model} (what a trained network is),
 * {@link io.sparkmlp.kernel.io.ModelCodec} (version-1 bytes, documented in
 * {@code docs/MODEL_FORMAT.md}), {@link io.sparkmlp.kernel.io.ModelFile} (atomic write, read) and
 * {@link io.sparkmlp.kernel.io.ModelFormatException} (one-line decode errors). Binary,
 * little-endian, checksummed, readable with numpy; never Java serialization.
 */
package io.sparkmlp.kernel.io;
