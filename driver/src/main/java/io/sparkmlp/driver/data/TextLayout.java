package io.sparkmlp.driver.data;

import java.io.IOException;
import java.io.Serializable;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * How the lines of a text data set are read; decided on the driver from the first line
 * ({@link LayoutDetector}) and shipped to the tasks.
 *
 * @param kind CSV or LIBSVM
 * @param header CSV: the first non-empty line of every file is a header (skipped)
 * @param columns CSV: cells per line (features + label column, if any)
 * @param labelColumn CSV: 0-based label cell, or -1 for unlabelled data (every cell a feature)
 * @param numFeatures features per row; LIBSVM: 0 while unknown (then the largest index seen decides)
 * @param columnNames CSV header cells, or null without a header
 * @param regression labels are real-valued targets (else class labels)
 * @param featuresOf whose feature count {@code numFeatures} is, for messages ("the model's"), or null
 */
record TextLayout(Kind kind, boolean header, int columns, int labelColumn, int numFeatures,
                  List<String> columnNames, boolean regression, String featuresOf) implements Serializable {

    enum Kind { CSV, LIBSVM }

    TextLayout withNumFeatures(int n) {
        return new TextLayout(kind, header, columns, labelColumn, n, columnNames, regression, featuresOf);
    }

    boolean labelled() {
        return kind == Kind.LIBSVM || labelColumn >= 0;
    }

    /** Feature names (header cells without the label's), or null without a header. */
    List<String> featureNames() {
        if (columnNames == null) {
            return null;
        }
        List<String> names = new ArrayList<>(columnNames);
        if (labelColumn >= 0) {
            names.remove(labelColumn);
        }
        return List.copyOf(names);
    }

    /** "column 3 'x2'" (1-based) for messages. */
    String describeColumn(int cell) {
        String s = "column " + (cell + 1);
        if (columnNames != null && cell < columnNames.size()) {
            s += " " + DataException.quote(columnNames.get(cell));
        }
        return s;
    }

    /** RFC 4180 with surrounding spaces trimmed; records of one line. */
    static final CSVFormat CSV_FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreSurroundingSpaces(true)
            .get();

    /**
     * The cells of one CSV line: split at commas when the line has no quote character, else parsed by
     * commons-csv (quoted cells may contain commas and doubled quotes, not line breaks). Cells are trimmed.
     *
     * @throws IOException for a malformed quoted line (e.g. an unterminated quote)
     */
    static List<String> splitCsv(String line) throws IOException {
        List<String> cells = new ArrayList<>();
        if (line.indexOf('"') < 0) {
            int from = 0;
            while (true) {
                int comma = line.indexOf(',', from);
                cells.add((comma < 0 ? line.substring(from) : line.substring(from, comma)).strip());
                if (comma < 0) {
                    return cells;
                }
                from = comma + 1;
            }
        }
        try (CSVParser parser = CSV_FORMAT.parse(new StringReader(line))) {
            List<CSVRecord> records = parser.getRecords();
            if (records.size() != 1) {
                throw new IOException("expected one CSV record, found " + records.size());
            }
            for (String cell : records.get(0)) {
                cells.add(cell.strip());
            }
            return cells;
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
