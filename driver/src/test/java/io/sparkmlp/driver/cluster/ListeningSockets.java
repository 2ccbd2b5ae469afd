package io.sparkmlp.driver.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The TCP sockets a process listens on, read from Linux's {@code /proc} (its open file descriptors,
 * matched by inode with {@code /proc/net/tcp} and {@code tcp6}). Linux only: {@link #supported()}.
 */
public final class ListeningSockets {

    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    public static boolean supported() {
        return Files.isDirectory(Path.of("/proc/self/fd")) && Files.isRegularFile(Path.of("/proc/net/tcp"));
    }

    /** The local addresses {@code pid} listens on; an IPv4-mapped IPv6 address comes back as IPv4. */
    public static List<InetSocketAddress> of(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                if (target.startsWith("socket:[")) {
                    inodes.add(target.substring("socket:[".length(), target.length() - 1));
                }
            }
        }
        Map<String, InetSocketAddress> listening = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && LISTEN.equals(f[3])) {
                    listening.put(f[9], decode(f[1]));
                }
            }
        }
        List<InetSocketAddress> result = new ArrayList<>();
        for (String inode : inodes) {
            InetSocketAddress a = listening.get(inode);
            if (a != null) {
                result.add(a);
            }
        }
        return result;
    }

    /** "0100007F:1F90" (IPv4, each 32-bit word in host byte order, x86: little-endian) → 127.0.0.1:8080. */
    static InetSocketAddress decode(String hexAddressPort) throws IOException {
        String[] parts = hexAddressPort.split(":");
        String hex = parts[0];
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return new InetSocketAddress(InetAddress.getByAddress(bytes), Integer.parseInt(parts[1], 16));
    }
}
