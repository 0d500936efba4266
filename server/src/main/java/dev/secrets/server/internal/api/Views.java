package dev.secrets.server.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.Label;
import dev.secrets.RotationDescription;
import dev.secrets.SecretDescription;
import dev.secrets.VersionDescription;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The library's values in AWS's JSON shapes: ARNs, staging labels, epoch-second timestamps, tags. */
final class Views {
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern RATE_DAYS = Pattern.compile("rate\\((\\d+) days?\\)");

    private Views() {
    }

    static ObjectNode object() {
        return F.objectNode();
    }

    /** AWS's timestamps in JSON 1.1: seconds since the epoch, with milliseconds as a fraction. */
    static JsonNode time(Instant t) {
        return F.numberNode(BigDecimal.valueOf(t.toEpochMilli(), 3));
    }

    static String awsLabel(Label l) {
        if (l.equals(Label.CURRENT) || l.equals(Label.PENDING) || l.equals(Label.PREVIOUS)) {
            return "AWS" + l.name();
        }
        return l.name();
    }

    /** {@code AWSCURRENT} → {@code CURRENT} …; other labels as given. */
    static Label label(String aws) {
        switch (aws) {
            case "AWSCURRENT": return Label.CURRENT;
            case "AWSPENDING": return Label.PENDING;
            case "AWSPREVIOUS": return Label.PREVIOUS;
            default:
                try {
                    return Label.of(aws);
                } catch (RuntimeException e) {
                    throw AwsError.invalidParameter("Invalid VersionStage: " + e.getMessage());
                }
        }
    }

    static ArrayNode labels(Collection<Label> labels) {
        ArrayNode a = F.arrayNode();
        labels.stream().map(Views::awsLabel).sorted().forEach(a::add);
        return a;
    }

    static ArrayNode tags(Map<String, String> tags) {
        ArrayNode a = F.arrayNode();
        tags.forEach((k, v) -> a.add(object().put("Key", k).put("Value", v)));
        return a;
    }

    static Map<String, String> tagsFrom(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw AwsError.serialization("Tags must be a list of {Key, Value}");
        }
        for (JsonNode t : n) {
            if (!t.isObject() || !t.path("Key").isTextual()) {
                throw AwsError.serialization("Tags must be a list of {Key, Value}");
            }
            out.put(t.get("Key").asText(), t.path("Value").asText(""));
        }
        return out;
    }

    static String lambdaArn(Context ctx, String rotator) {
        return "arn:aws:lambda:" + ctx.region() + ":" + ctx.account() + ":function:" + rotator;
    }

    /** The fields DescribeSecret and ListSecrets share. */
    static ObjectNode describe(Context ctx, SecretDescription d, boolean versionsAsStages) {
        String name = d.id().value();
        ObjectNode o = object();
        o.put("ARN", ctx.arns().arn(name, d.created()));
        o.put("Name", name);
        if (d.description() != null) {
            o.put("Description", d.description());
        }
        o.put("KmsKeyId", d.keyName());
        RotationDescription r = d.rotation();
        o.put("RotationEnabled", r != null && r.enabled());
        if (r != null) {
            o.put("RotationLambdaARN", lambdaArn(ctx, r.rotator()));
            if (r.schedule() != null) {
                ObjectNode rules = o.putObject("RotationRules");
                Matcher m = RATE_DAYS.matcher(r.schedule());
                if (m.matches()) {
                    rules.put("AutomaticallyAfterDays", Long.parseLong(m.group(1)));
                }
                rules.put("ScheduleExpression", r.schedule());
            }
            if (r.nextRotation() != null && r.enabled()) {
                o.set("NextRotationDate", time(r.nextRotation()));
            }
        }
        if (d.lastRotated() != null && r != null) { // AWS: null unless rotation is configured
            o.set("LastRotatedDate", time(d.lastRotated()));
        }
        o.set("LastChangedDate", time(d.lastChanged()));
        if (d.lastAccessed() != null) {
            o.set("LastAccessedDate", time(d.lastAccessed()));
        }
        if (d.deletionDate() != null) {
            o.set("DeletedDate", time(d.deletionDate()));
        }
        o.set("Tags", tags(d.tags()));
        ObjectNode stages = o.putObject(versionsAsStages ? "SecretVersionsToStages" : "VersionIdsToStages");
        for (VersionDescription v : d.versions()) {
            if (!v.labels().isEmpty()) {
                stages.set(v.versionId(), labels(v.labels()));
            }
        }
        o.set("CreatedDate", time(d.created()));
        return o;
    }
}
