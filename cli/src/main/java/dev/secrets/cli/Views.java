package dev.secrets.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.Label;
import dev.secrets.RotationDescription;
import dev.secrets.SecretDescription;
import dev.secrets.VersionDescription;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Text and JSON views of descriptions; values never appear in any of them. */
final class Views {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Views() {
    }

    static String time(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String labels(Collection<Label> labels) {
        return labels.isEmpty() ? "-" : labels.stream().sorted().map(Label::name).collect(Collectors.joining(","));
    }

    static String tags(Map<String, String> tags) {
        return tags.isEmpty() ? "-" : new TreeMap<>(tags).entrySet().stream()
                .map(e -> e.getValue() == null ? e.getKey() : e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    static ArrayNode labelsJson(Collection<Label> labels) {
        ArrayNode a = F.arrayNode();
        labels.stream().sorted().forEach(l -> a.add(l.name()));
        return a;
    }

    private static void put(ObjectNode n, String field, Instant t) {
        if (t == null) {
            n.putNull(field);
        } else {
            n.put(field, t.toString());
        }
    }

    static ObjectNode versionJson(VersionDescription v) {
        ObjectNode n = F.objectNode();
        n.put("versionId", v.versionId());
        n.set("labels", labelsJson(v.labels()));
        put(n, "created", v.created());
        n.put("keyVersion", v.keyVersion());
        if (v.isDestroyed()) {
            put(n, "destroyed", v.destroyed());
        }
        return n;
    }

    static ArrayNode versionsJson(List<VersionDescription> versions) {
        ArrayNode a = F.arrayNode();
        versions.forEach(v -> a.add(versionJson(v)));
        return a;
    }

    static ObjectNode describeJson(SecretDescription d) {
        ObjectNode n = F.objectNode();
        n.put("id", d.id().value());
        n.put("kind", d.kind().id());
        n.put("description", d.description());
        ObjectNode tags = n.putObject("tags");
        new TreeMap<>(d.tags()).forEach(tags::put);
        n.put("keyName", d.keyName());
        put(n, "created", d.created());
        put(n, "lastChanged", d.lastChanged());
        put(n, "lastAccessed", d.lastAccessed());
        put(n, "lastRotated", d.lastRotated());
        put(n, "deletionDate", d.deletionDate());
        if (d.rotation() == null) {
            n.putNull("rotation");
        } else {
            n.set("rotation", rotationJson(d.rotation()));
        }
        n.set("versions", versionsJson(d.versions()));
        return n;
    }

    static ObjectNode rotationJson(RotationDescription r) {
        ObjectNode rn = F.objectNode();
        rn.put("rotator", r.rotator());
        rn.put("schedule", r.schedule());
        rn.put("zone", r.zone());
        ObjectNode p = rn.putObject("parameters");
        new TreeMap<>(r.parameters()).forEach(p::put);
        rn.put("enabled", r.enabled());
        put(rn, "nextRotation", r.nextRotation());
        put(rn, "lastAttempt", r.lastAttempt());
        rn.put("lastOutcome", r.lastOutcome());
        rn.put("failedStep", r.failedStep());
        rn.put("lastError", r.lastError());
        rn.put("pendingVersion", r.pendingVersion());
        return rn;
    }

    static void describeText(SecretDescription d, PrintStream out) {
        describeText(d, null, out);
    }

    /** With the scheme of the master key's root ({@code provider}), when known. */
    static void describeText(SecretDescription d, String provider, PrintStream out) {
        row(out, "id", d.id().value());
        row(out, "kind", d.kind().id());
        row(out, "description", d.description().isEmpty() ? "-" : d.description());
        row(out, "tags", tags(d.tags()));
        row(out, "master key", provider == null ? d.keyName() : d.keyName() + " (provider " + provider + ")");
        row(out, "created", time(d.created()));
        row(out, "last changed", time(d.lastChanged()));
        row(out, "last accessed", d.lastAccessed() == null ? "-" : d.lastAccessed().toString().substring(0, 10));
        row(out, "last rotated", time(d.lastRotated()));
        RotationDescription r = d.rotation();
        if (r == null) {
            row(out, "rotation", "not configured");
        } else {
            StringBuilder s = new StringBuilder(r.rotator());
            s.append(r.schedule() == null ? ", on demand" : ", " + r.schedule() + (r.zone() == null ? "" : " " + r.zone()));
            if (!r.enabled()) {
                s.append(", disabled");
            }
            if (r.nextRotation() != null) {
                s.append(", next ").append(time(r.nextRotation()));
            }
            if (r.lastOutcome() != null) {
                s.append(", last ").append(r.lastOutcome()).append(' ').append(time(r.lastAttempt()));
            }
            if (r.failedStep() != null) {
                s.append(" at ").append(r.failedStep());
            }
            if (r.pendingVersion() != null) {
                s.append(", in progress (PENDING ").append(r.pendingVersion()).append(')');
            }
            row(out, "rotation", s.toString());
            if (!r.parameters().isEmpty()) {
                row(out, "parameters", tags(r.parameters()));
            }
            if (r.lastError() != null) {
                row(out, "last error", r.lastError());
            }
        }
        if (d.deletionDate() != null) {
            row(out, "deletion", "scheduled for " + time(d.deletionDate()) + " (secrets restore " + d.id() + " cancels it)");
        }
        out.println("versions:");
        versionsText(d.versions(), out, "  ");
    }

    static void versionsText(List<VersionDescription> versions, PrintStream out, String indent) {
        if (versions.isEmpty()) {
            out.println(indent + "(no value yet)");
            return;
        }
        out.printf("%s%-36s  %-24s  %s%n", indent, "VERSION ID", "LABELS", "CREATED");
        for (VersionDescription v : versions) {
            out.printf("%s%-36s  %-24s  %s%s%n", indent, v.versionId(), labels(v.labels()), time(v.created()),
                    v.isDestroyed() ? "  (destroyed " + time(v.destroyed()) + ")" : "");
        }
    }

    private static void row(PrintStream out, String name, String value) {
        out.printf("%-14s %s%n", name + ":", value);
    }
}
