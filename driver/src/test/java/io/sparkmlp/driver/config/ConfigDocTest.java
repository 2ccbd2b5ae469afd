package io.sparkmlp.driver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/CONFIG.md lists exactly the keys of {@link TrainConfig#keyDocs()}, with the same defaults and values. */
class ConfigDocTest {

    /** docs/CONFIG.md, found from the module directory (Maven's working directory) or the project root. */
    private static Path configDoc() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("docs/CONFIG.md");
            if (Files.isRegularFile(p)) return p;
        }
        throw new AssertionError("docs/CONFIG.md not found above " + Path.of("").toAbsolutePath());
    }

    /** Key → cells of each table row that starts with a back-quoted key. */
    private static Map<String, List<String>> rows() throws IOException {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(configDoc(), StandardCharsets.UTF_8)) {
            if (!line.startsWith("| `")) continue;
            List<String> cells = new ArrayList<>();
            for (String c : line.substring(1, line.length() - 1).split("(?<!\\\\)\\|")) {
                cells.add(unquote(c.trim().replace("\\|", "|")));
            }
            assertTrue(cells.size() >= 4, "a row needs key, default, values, meaning: " + line);
            List<String> previous = rows.put(cells.get(0), cells);
            assertEquals(null, previous, "key listed twice in docs/CONFIG.md: " + cells.get(0));
        }
        return rows;
    }

    private static String unquote(String cell) {
        boolean quoted = cell.length() >= 2 && cell.startsWith("`") && cell.endsWith("`");
        return quoted ? cell.substring(1, cell.length() - 1) : cell;
    }

    @Test
    void everyKnownKeyIsDocumentedAndNothingElse() throws IOException {
        Map<String, List<String>> rows = rows();
        assertEquals(TrainConfig.knownKeys(), new ArrayList<>(rows.keySet()),
                "docs/CONFIG.md must list the keys of TrainConfig.knownKeys(), in the same order");
    }

    @Test
    void defaultsAndValuesMatchTheTable() throws IOException {
        Map<String, List<String>> rows = rows();
        for (KeyDoc k : TrainConfig.keyDocs()) {
            List<String> row = rows.get(k.key());
            if (row == null) continue; // reported by the other test
            assertEquals(k.defaultValue(), row.get(1), "default of " + k.key() + " in docs/CONFIG.md");
            assertEquals(k.type(), row.get(2), "values of " + k.key() + " in docs/CONFIG.md");
            assertTrue(!row.get(3).isBlank(), "meaning of " + k.key() + " in docs/CONFIG.md");
        }
    }
}
