package io.sparkmlp.driver.config;

/**
 * One configuration key, as listed by {@link TrainConfig#keyDocs()} (and in {@code docs/CONFIG.md}).
 *
 * @param key the key, e.g. {@code train.learningRate}
 * @param type the values accepted, e.g. {@code a number > 0} or {@code one of sgd, momentum, ...}
 * @param defaultValue the default, or how it is derived, e.g. {@code 0.001 for adam/adamw, 0.01 otherwise}
 * @param doc one line saying what the key does
 */
public record KeyDoc(String key, String type, String defaultValue, String doc) { }
