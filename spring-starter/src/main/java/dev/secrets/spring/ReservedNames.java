package dev.secrets.spring;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The property names a secret imported without a prefix may not set: everything under {@code spring.},
 * {@code management.}, {@code logging.} and {@code secrets.}, and the switches {@code debug} and
 * {@code trace}. Whoever can write a secret's value should not be able to point the application's
 * {@code DataSource} elsewhere, expose every Actuator endpoint, turn on trace logging or change where
 * the application's own secrets come from.
 *
 * <p>The match is made as Spring Boot's relaxed binding would bind the name: case, dashes and the
 * bracket form are ignored ({@code SPRING.datasource.url}, {@code [logging].level.root} and
 * {@code spring-.x} are all reserved). Depends on nothing of Spring Boot, like the property sources.
 */
final class ReservedNames {
    /** The first elements of reserved names, in Spring Boot's uniform form. */
    static final Set<String> ROOTS = Set.of("spring", "management", "logging", "secrets");
    /** Names reserved on their own. */
    static final Set<String> SWITCHES = Set.of("debug", "trace");

    private ReservedNames() {
    }

    /** Whether {@code name} is reserved. */
    static boolean isReserved(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace("-", "").replace('[', '.').replace("]", "");
        while (n.startsWith(".")) {
            n = n.substring(1);
        }
        int dot = n.indexOf('.');
        String first = dot < 0 ? n : n.substring(0, dot);
        return ROOTS.contains(first) || (dot < 0 && SWITCHES.contains(n));
    }

    /**
     * Whether the names under {@code prefix} are checked at all: not when the application itself put
     * them under a reserved root with its own {@code ?prefix=spring.datasource.}.
     */
    static boolean checked(String prefix) {
        int dot = prefix.indexOf('.');
        return dot < 0 || !isReserved(prefix.substring(0, dot));
    }

    /** The reserved names among {@code names}, sorted; empty when there is none. */
    static List<String> among(Collection<String> names) {
        Set<String> out = new TreeSet<>();
        for (String n : names) {
            if (isReserved(n)) {
                out.add(n);
            }
        }
        return List.copyOf(out);
    }
}
