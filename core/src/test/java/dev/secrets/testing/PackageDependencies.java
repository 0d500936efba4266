package dev.secrets.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The package dependencies of one module's compiled main classes, read from the class files' constant
 * pools (every class a class refers to, in its code, signatures or annotations), and the two rules
 * every module keeps: no cycle between its packages, and no use of another module's {@code internal}
 * packages. A small stand-in for ArchUnit, which is not available offline here.
 */
public final class PackageDependencies {
    private static final Pattern CLASS_NAME = Pattern.compile("(dev/secrets/[A-Za-z0-9_/$]+)");

    /** package → packages of {@code dev.secrets} it uses (itself excluded). */
    private final Map<String, Set<String>> uses = new TreeMap<>();
    /** package → (used package → one example "Class → UsedClass"), for messages. */
    private final Map<String, Map<String, String>> examples = new HashMap<>();
    private final Set<String> ownPackages = new TreeSet<>();

    private PackageDependencies() {
    }

    /** Reads every class under {@code classes} (a module's {@code target/classes}). */
    public static PackageDependencies of(Path classes) throws IOException {
        PackageDependencies d = new PackageDependencies();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                String name = classes.relativize(f).toString().replace('\\', '/');
                name = name.substring(0, name.length() - ".class".length());
                String pkg = packageOf(name);
                d.ownPackages.add(pkg);
                for (String used : referencedClasses(f)) {
                    String usedPkg = packageOf(used);
                    if (!usedPkg.equals(pkg)) {
                        d.uses.computeIfAbsent(pkg, k -> new TreeSet<>()).add(usedPkg);
                        d.examples.computeIfAbsent(pkg, k -> new HashMap<>()).putIfAbsent(usedPkg,
                                name.replace('/', '.') + " → " + used.replace('/', '.'));
                    }
                }
            }
        }
        return d;
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash).replace('/', '.');
    }

    /** The packages of this module. */
    public Set<String> packages() {
        return ownPackages;
    }

    /** The packages {@code pkg} uses. */
    public Set<String> uses(String pkg) {
        return uses.getOrDefault(pkg, Set.of());
    }

    /**
     * Uses of another module's {@code internal} packages: each as "Class → UsedClass". A package of
     * this module is never "another module's".
     */
    public List<String> foreignInternalUses() {
        List<String> out = new ArrayList<>();
        uses.forEach((pkg, used) -> {
            for (String u : used) {
                if (!ownPackages.contains(u) && (u.contains(".internal.") || u.endsWith(".internal"))) {
                    out.add(examples.get(pkg).get(u));
                }
            }
        });
        return out;
    }

    /**
     * The cycles between this module's packages, {@code ignored} packages left out of the graph (a
     * module's root API package, whose values everything uses and whose facade uses everything):
     * each cycle as its packages in order, with an example use per step.
     */
    public List<String> cycles(Set<String> ignored) {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String p : ownPackages) {
            if (!ignored.contains(p)) {
                Set<String> to = new TreeSet<>();
                for (String u : uses(p)) {
                    if (ownPackages.contains(u) && !ignored.contains(u)) {
                        to.add(u);
                    }
                }
                graph.put(p, to);
            }
        }
        List<String> out = new ArrayList<>();
        Set<String> reported = new LinkedHashSet<>();
        for (String start : graph.keySet()) {
            List<String> path = findPath(graph, start, start, new ArrayList<>(), new TreeSet<>());
            if (path != null) {
                Set<String> key = new TreeSet<>(path);
                if (reported.add(key.toString())) {
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < path.size(); i++) {
                        String from = path.get(i);
                        String to = path.get((i + 1) % path.size());
                        b.append(i == 0 ? "" : "; ").append(examples.get(from).get(to));
                    }
                    out.add(path + ": " + b);
                }
            }
        }
        return out;
    }

    private static List<String> findPath(Map<String, Set<String>> graph, String start, String at, List<String> path, Set<String> seen) {
        path.add(at);
        seen.add(at);
        for (String next : graph.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                return new ArrayList<>(path);
            }
            if (!seen.contains(next)) {
                List<String> found = findPath(graph, start, next, path, seen);
                if (found != null) {
                    return found;
                }
            }
        }
        path.remove(path.size() - 1);
        return null;
    }

    /** Every {@code dev/secrets/...} class name in the constant pool of a class file. */
    static Set<String> referencedClasses(Path classFile) throws IOException {
        Set<String> out = new TreeSet<>();
        try (InputStream in = Files.newInputStream(classFile); DataInputStream data = new DataInputStream(in)) {
            data.readInt(); // magic
            data.readUnsignedShort(); // minor
            data.readUnsignedShort(); // major
            int count = data.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = data.readUnsignedByte();
                switch (tag) {
                    case 1 -> {
                        Matcher m = CLASS_NAME.matcher(data.readUTF());
                        while (m.find()) {
                            String n = m.group(1);
                            int dollar = n.indexOf('$');
                            out.add(dollar < 0 ? n : n.substring(0, dollar));
                        }
                    }
                    case 7, 8, 16, 19, 20 -> data.readUnsignedShort();
                    case 15 -> {
                        data.readUnsignedByte();
                        data.readUnsignedShort();
                    }
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> data.readInt();
                    case 5, 6 -> {
                        data.readLong();
                        i++; // takes two entries
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag + " in " + classFile);
                }
            }
        }
        return out;
    }
}
