package dev.secrets.file;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Starts {@link ChildWriter} JVMs on this test's class path and collects their complete output lines. */
final class ChildProcesses {
    private ChildProcesses() {
    }

    /** A running child and the complete lines (ending in {@code END}, or bare status lines) it printed. */
    static final class Child {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Thread reader;

        Child(Process process) {
            this.process = process;
            this.reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the child was killed
                }
            }, "child-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** Lines that were printed whole: a line cut by a kill lacks the END marker. */
        List<String> complete(String kind) {
            List<String> out = new ArrayList<>();
            for (String l : lines) {
                if (l.startsWith(kind + " ") && l.endsWith(" END")) {
                    out.add(l.substring(kind.length() + 1, l.length() - 4));
                }
            }
            return out;
        }

        boolean printed(String line) {
            return lines.contains(line);
        }

        void send(String line) throws IOException {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }

        /** Waits until the child has exited and all of its output is read (a loaded machine can lag behind the pipe). */
        void awaitExit() throws InterruptedException {
            process.waitFor();
            reader.join(120_000);
            if (reader.isAlive()) {
                throw new IllegalStateException("the child's output was not read to its end within 120 s");
            }
        }
    }

    static Child start(byte[] masterKey, Path stderr, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), ChildWriter.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("TEST_MASTER_KEY", Base64.getEncoder().encodeToString(masterKey));
        pb.redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        return new Child(pb.start());
    }
}
