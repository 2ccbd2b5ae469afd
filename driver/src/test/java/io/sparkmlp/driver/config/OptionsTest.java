package io.sparkmlp.driver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import org.junit.jupiter.api.Test;

/** Each {@code with...} method of the option records replaces its component and keeps every other. */
class OptionsTest {

    @Test
    void dataOptionsWithReplacesOneComponent() throws Exception {
        checkWithMethods(DataOptions.defaults().withTrain("a.csv"));
    }

    @Test
    void syntheticOptionsWithReplacesOneComponent() throws Exception {
        checkWithMethods(DataOptions.defaults().synthetic());
    }

    @Test
    void trainOptionsWithReplacesOneComponent() throws Exception {
        checkWithMethods(TrainOptions.defaults());
    }

    private static void checkWithMethods(Record r) throws Exception {
        RecordComponent[] components = r.getClass().getRecordComponents();
        for (RecordComponent c : components) {
            String name = c.getName();
            Method with = r.getClass().getMethod("with" + Character.toUpperCase(name.charAt(0)) + name.substring(1),
                    c.getType());
            Object old = c.getAccessor().invoke(r);
            Object changed = other(old, c.getType());
            assertNotEquals(old, changed, name);
            Record copy = (Record) with.invoke(r, changed);
            for (RecordComponent d : components) {
                Object expected = d == c ? changed : d.getAccessor().invoke(r);
                assertEquals(expected, d.getAccessor().invoke(copy), "with" + name + " → " + d.getName());
            }
        }
    }

    /** A value of {@code type} other than {@code v}. */
    private static Object other(Object v, Class<?> type) {
        if (type == int.class) return (Integer) v + 1;
        if (type == long.class) return (Long) v + 1;
        if (type == double.class) return (Double) v + 0.5;
        if (type == boolean.class) return !(Boolean) v;
        if (type == Boolean.class) return v == null ? Boolean.TRUE : null;
        if (type == String.class) return v == null ? "x" : v + "x";
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return constants[(((Enum<?>) v).ordinal() + 1) % constants.length];
        }
        if (type == java.util.List.class) return java.util.List.of(0.5, 0.5);
        if (type == DataOptions.SyntheticOptions.class) return ((DataOptions.SyntheticOptions) v).withRows(7);
        throw new AssertionError("no other value for " + type);
    }
}
