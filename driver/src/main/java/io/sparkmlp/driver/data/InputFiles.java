package io.sparkmlp.driver.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * The files of one text data set (a file, a directory of files or a glob), in path order, names starting
 * with {@code _} or {@code .} skipped: the order that gives every row its global index. Driver side.
 */
final class InputFiles {

    /** The first non-blank line of the data set (a UTF-8 byte-order mark removed), and where it is. */
    record FirstLine(String file, long line, String text) { }

    private final String path;
    private final Configuration conf;
    private final Map<String, Path> files;

    private InputFiles(String path, Configuration conf, Map<String, Path> files) {
        this.path = path;
        this.conf = conf;
        this.files = files;
    }

    /** The data files of {@code pathString} (file, directory or glob), keyed by display name, in path order. */
    static InputFiles list(String pathString, Configuration conf) {
        if (pathString == null || pathString.isBlank()) {
            throw DataException.of("no data path given, expected a file, a directory or a glob");
        }
        List<Path> found = new ArrayList<>();
        try {
            Path p = new Path(pathString);
            FileSystem fs = p.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(p);
            if (matches == null || matches.length == 0) {
                throw DataException.of(pathString, "no such file or directory, expected a file, a directory or a glob");
            }
            for (FileStatus st : matches) {
                if (st.isDirectory()) {
                    for (FileStatus child : fs.listStatus(st.getPath())) {
                        if (child.isFile() && visible(child.getPath())) {
                            found.add(child.getPath());
                        }
                    }
                } else if (visible(st.getPath())) {
                    found.add(st.getPath());
                }
            }
        } catch (IOException e) {
            throw DataException.of(pathString, "cannot list (" + e + "), expected a readable file, directory or glob");
        }
        if (found.isEmpty()) {
            throw DataException.of(pathString, "no data files (names starting with _ or . are skipped)"
                    + ", expected a file, a directory or a glob");
        }
        found.sort((a, b) -> a.toString().compareTo(b.toString()));
        Map<String, Path> files = new LinkedHashMap<>();
        for (Path f : found) {
            files.put(display(f), f);
        }
        return new InputFiles(pathString, conf, files);
    }

    /** The data set's path as given. */
    String path() {
        return path;
    }

    Configuration conf() {
        return conf;
    }

    /** The files, in path order. */
    Path[] paths() {
        return files.values().toArray(new Path[0]);
    }

    /** The file shown as {@code display} in messages, or null when it is not one of these. */
    Path file(String display) {
        return files.get(display);
    }

    /** The first non-blank line of the data set, read on the driver. */
    FirstLine firstLine() {
        for (Map.Entry<String, Path> f : files.entrySet()) {
            FirstLine first = firstNonBlankLine(f.getValue(), f.getKey());
            if (first != null) {
                return first;
            }
        }
        throw DataException.of(path, files.size() == 1 ? "empty file, expected CSV or LIBSVM rows"
                : "all " + files.size() + " files are empty, expected CSV or LIBSVM rows");
    }

    private static boolean visible(Path p) {
        String name = p.getName();
        return !name.startsWith("_") && !name.startsWith(".");
    }

    /** How a file is named in messages: the plain path for local files, the full URI otherwise. */
    static String display(Path p) {
        String s = p.toString();
        return s.startsWith("file:") ? p.toUri().getPath() : s;
    }

    private FirstLine firstNonBlankLine(Path file, String display) {
        try {
            FileSystem fs = file.getFileSystem(conf);
            CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(file);
            InputStream raw = fs.open(file);
            InputStream in = codec == null ? raw : codec.createInputStream(raw);
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                long n = 0;
                while ((line = r.readLine()) != null) {
                    n++;
                    if (n == 1 && line.startsWith("\uFEFF")) {
                        line = line.substring(1);
                    }
                    if (!line.isBlank()) {
                        return new FirstLine(display, n, line);
                    }
                }
                return null;
            }
        } catch (IOException e) {
            throw DataException.of(display, "cannot read (" + e + "), expected a readable text file");
        }
    }
}
