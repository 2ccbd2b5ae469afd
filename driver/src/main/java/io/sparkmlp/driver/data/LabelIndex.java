package io.sparkmlp.driver.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Class labels ↔ class indices: index = position in {@link #labels()}.
 *
 * <p>Built from the distinct label strings of the training data ({@link #of}): when every label is a
 * number they are ordered numerically and labels of equal value are one class ({@code 1}, {@code 1.0}
 * and {@code +1} are the same class, named by its smallest spelling in string order); otherwise they are
 * ordered as strings ({@link String#compareTo}). A stored index keeps its order ({@link #ofOrdered}).
 */
public final class LabelIndex implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<String> labels;
    /** The labels' values, ascending, when every label is a number; null otherwise. */
    private final double[] values;
    private transient volatile Map<String, Integer> lookup;

    private LabelIndex(List<String> labels, double[] values) {
        this.labels = List.copyOf(labels);
        this.values = values;
    }

    /**
     * The index of the distinct labels {@code found} (see the class doc for the order).
     *
     * @param found distinct label strings, any order. Not modified.
     * @param where the data the labels come from, for the error message (a path or column)
     * @throws DataException when fewer than 2 classes remain
     */
    public static LabelIndex of(Collection<String> found, String where) {
        boolean numeric = !found.isEmpty();
        for (String s : found) {
            if (!isFiniteNumber(s)) {
                numeric = false;
                break;
            }
        }
        LabelIndex index;
        if (numeric) {
            TreeMap<Double, String> byValue = new TreeMap<>();
            for (String s : new TreeSet<>(found)) {           // string order: the smallest spelling wins
                byValue.putIfAbsent(value(s), s);
            }
            double[] values = byValue.keySet().stream().mapToDouble(Double::doubleValue).toArray();
            index = new LabelIndex(new ArrayList<>(byValue.values()), values);
        } else {
            index = new LabelIndex(new ArrayList<>(new TreeSet<>(found)), null);
        }
        if (index.size() < 2) {
            throw DataException.of(where, "found " + index.size() + (index.size() == 1 ? " class " : " classes ")
                    + index.describe(20) + ", expected at least 2 classes for classification"
                    + " (real-valued targets need a regression loss)");
        }
        return index;
    }

    /**
     * An index with exactly this order (e.g. as stored with a model). Labels must be distinct; when all
     * are numbers they must be in ascending numeric order, else value lookup would be ambiguous.
     */
    public static LabelIndex ofOrdered(List<String> labels) {
        if (labels.size() < 2 || labels.stream().distinct().count() != labels.size()) {
            throw new IllegalArgumentException("label index needs at least 2 distinct labels, found " + labels);
        }
        double[] values = null;
        if (labels.stream().allMatch(LabelIndex::isFiniteNumber)) {
            values = labels.stream().mapToDouble(LabelIndex::value).toArray();
            for (int i = 1; i < values.length; i++) {
                if (!(values[i - 1] < values[i])) {
                    values = null;                            // not ascending: match by string only
                    break;
                }
            }
        }
        return new LabelIndex(labels, values);
    }

    /** The labels, index order. */
    public List<String> labels() {
        return labels;
    }

    /** Number of classes (≥ 2). */
    public int size() {
        return labels.size();
    }

    /** The label of class {@code index}. */
    public String label(int index) {
        return labels.get(index);
    }

    /** True when every label is a number (ordered and matched by value). */
    public boolean numeric() {
        return values != null;
    }

    /**
     * The class index of {@code label}: its position, by exact string or, for a numeric index, by value
     * ({@code 1.0} finds {@code 1}); -1 when unknown.
     */
    public int indexOf(String label) {
        Map<String, Integer> map = lookup;
        if (map == null) {
            map = new HashMap<>(labels.size() * 2);
            for (int i = 0; i < labels.size(); i++) {
                map.put(labels.get(i), i);
            }
            lookup = map;
        }
        Integer i = map.get(label);
        if (i != null) {
            return i;
        }
        if (values != null && isFiniteNumber(label)) {
            int k = java.util.Arrays.binarySearch(values, value(label));
            return k >= 0 ? k : -1;
        }
        return -1;
    }

    /** The labels for a message: {@code ['a', 'b', ...]}, at most {@code max} of them then "… (n in all)". */
    public String describe(int max) {
        StringBuilder sb = new StringBuilder("[");
        int n = Math.min(max, labels.size());
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? ", " : "").append(DataException.quote(labels.get(i)));
        }
        if (n < labels.size()) {
            sb.append(", ... (").append(labels.size()).append(" in all)");
        }
        return sb.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelIndex other && labels.equals(other.labels);
    }

    @Override
    public int hashCode() {
        return labels.hashCode();
    }

    @Override
    public String toString() {
        return "LabelIndex" + describe(Integer.MAX_VALUE);
    }

    static boolean isFiniteNumber(String s) {
        try {
            return Double.isFinite(Numbers.parseDouble(s));
        } catch (Numbers.Malformed e) {
            return false;
        }
    }

    private static double value(String s) {
        try {
            double v = Numbers.parseDouble(s);
            return v == 0 ? 0.0 : v;                          // -0 and 0 are one class
        } catch (Numbers.Malformed e) {
            throw new IllegalStateException(s, e);
        }
    }
}
