/**
 * The data layer: read (CSV, LIBSVM) or generate (synthetic) a data set on the executors, split it,
 * standardise it and cache it as one dense {@link io.sparkmlp.driver.data.Block} per partition.
 * Entry points: {@link io.sparkmlp.driver.data.DataLoader#prepare} (training) and
 * {@link io.sparkmlp.driver.data.DataLoader#loadForModel} (evaluation / prediction with a saved model);
 * {@link io.sparkmlp.driver.data.FrameInput#prepare} makes the same blocks from a DataFrame (spark-sql, provided).
 *
 * <p>A text data set is read in steps, a class each, coordinated by {@code TextInput}: {@code InputFiles}
 * (listing the files, the first line), {@code LayoutDetector} (format, header, label column),
 * {@code CountingPass} (pass 1), {@code ParsingPass} (pass 2, through {@code SplitLines} and
 * {@code LineParser}) and {@code ErrorResolver} (a task's error to the data set's first bad file:line).
 *
 * <h2>Design notes</h2>
 * <ul>
 * <li><b>Global row index.</b> Every row has one: files in path order, lines in file order (blank lines and
 *     headers are not rows); the generator's row {@code i}. Partition {@code p} of {@code P} owns rows
 *     {@code [⌊p·N/P⌋, ⌊(p+1)·N/P⌋)}; the test/validation split is a hash of (seed, row index). So blocks are
 *     the same run after run, whatever the Hadoop splits or task order; {@code repartition()} (whose
 *     shuffle order is not deterministic) is never used.</li>
 * <li><b>Two passes over text.</b> Pass 1 ({@code CountingPass}) counts the rows of each Hadoop split (and
 *     collects class labels and the largest LIBSVM index) without parsing feature values; pass 2
 *     ({@code ParsingPass}) parses and sends each split's rows, as a few {@code Chunk}s per target
 *     partition, through one shuffle ({@code ChunkWriter}, {@code ChunkShuffle}, shared with tables); the
 *     reduce side sorts the chunks by first row and concatenates them into the block. Each split's blocks
 *     are the {@code P} reduce partitions of its slot ({@code ShuffleSlice}), so their lineage has {@code P}
 *     partitions from the shuffle on (a barrier stage of {@code P} tasks takes them as they are), and the
 *     map stage runs once for all splits. The raw blocks are never cached:
 *     standardisation statistics come from one job over them (shuffle files are reused, not re-parsed),
 *     then the blocks are recomputed, scaled in place and cached. Transient memory of a reduce task is
 *     about twice its block (the chunks and the block): with big files, use more partitions.</li>
 * <li><b>Synthetic data</b> needs no shuffle: row {@code i} comes from its own generator seeded by
 *     (seed, i), so each task generates exactly the rows of its range and split, and the data set does not
 *     depend on the partition count. The generators ({@code synthetic.kind}: {@code ClassificationRows},
 *     {@code RegressionRows}, {@code PlaneRows}) follow scikit-learn's {@code make_*} functions, with one
 *     change forced by this: their fixed parameters (cluster centres and covariances, coefficients) come from
 *     the seed alone instead of the stream that then draws the rows, so class counts are random draws with
 *     the given proportions rather than exact counts, and rows and columns are not shuffled.</li>
 * <li><b>Errors.</b> A task's {@link io.sparkmlp.driver.data.DataException} reaches the driver as the cause
 *     of Spark's {@code SparkException} (checked by a test). A task knows only its line within its split;
 *     the driver ({@code ErrorResolver}) counts the lines of the splits before it (a
 *     {@code LineRecordReader} over {@code [0, splitStart)}, error path only). When several tasks fail, the earlier splits are re-checked
 *     (error path only), so the message names the first bad line of the data set, not whichever task
 *     failed first.</li>
 * <li><b>Parsing.</b> From the line's bytes, no {@code String} per cell: a cell is scanned and parsed in
 *     one go (comma found by the number scanner); floats are correctly rounded (an exact
 *     {@code m·10^e} double fast path, {@link java.lang.Float#parseFloat} otherwise; checked bit for bit
 *     against the JDK on random inputs). Lines with a quote character go through commons-csv.</li>
 * <li><b>Hostile sizes and ambiguous rows.</b> Limits are checked before anything their size allocates:
 *     data.maxFeatures at the CSV's first line and, for LIBSVM, on every line of pass 1 (one index of
 *     2,000,000,000 would make every block 8 GB wide); data.maxClasses on the labels of pass 1 (a
 *     real-valued target read as classes). Without data.header, {@code LayoutDetector} decides whether the
 *     first row is a header, says so in one log line, and refuses a row of column numbers ({@code 0,1,2},
 *     as pandas writes) as ambiguous.</li>
 * <li><b>Statistics</b> are merged in partition order on the driver (not {@code treeAggregate}, whose merge
 *     order follows task completion), so the scaling is bit-for-bit reproducible.</li>
 * </ul>
 *
 * <h2>Measurements</h2>
 * (2 cores, shared with other jobs while measured, so wall times vary 2-3×; {@code DataScaleCheck}.)
 * <ul>
 * <li>Synthetic 10M × 100, 10 classes, test fraction 0.1, standardised, 2 partitions, -Xmx12g: prepare
 *     42 s wall (11.8 s CPU of this process), cached train + test 4.04 GB = 1.01 × the raw floats (with the
 *     generator before {@code synthetic.kind}: Gaussian centres, identity covariance).</li>
 * <li>{@code make_classification} rows of 100 features (20 informative, 10 classes, 2 clusters each), one
 *     thread after warm-up: 2.5 µs a row, of which about 1.4 µs are its 100 Gaussian draws; 1M such rows
 *     prepared as above in 17.9 s wall, 7.1 s CPU ({@code DataScaleCheck}, {@code sparkmlp.scale.rows=1000000}).</li>
 * <li>Synthetic 200k × 50: cached 40.8 MB for 40.0 MB raw floats (1.02 ×; {@code SyntheticDataTest}).</li>
 * <li>CSV 1M × 100 (0.85 GB, 5-decimal numbers), standardised, test fraction 0.1: prepare 7.7-33 s wall,
 *     7.5-10.7 s CPU, i.e. 80-113 MB/s of CSV per core; the float scanner is about 3 × faster than
 *     {@code Float.parseFloat(new String(...))}.</li>
 * </ul>
 */
package io.sparkmlp.driver.data;
