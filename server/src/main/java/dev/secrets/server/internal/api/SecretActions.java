package dev.secrets.server.internal.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.BatchGetResult;
import dev.secrets.CreateSecretRequest;
import dev.secrets.GetSecretValueRequest;
import dev.secrets.Label;
import dev.secrets.PutSecretValueRequest;
import dev.secrets.SecretDescription;
import dev.secrets.SecretKind;
import dev.secrets.SecretValue;
import dev.secrets.SecretVersion;
import dev.secrets.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CreateSecret, GetSecretValue, BatchGetSecretValue, PutSecretValue, UpdateSecret, UpdateSecretVersionStage, DescribeSecret. */
final class SecretActions {
    private final Context ctx;

    SecretActions(Context ctx) {
        this.ctx = ctx;
    }

    ObjectNode create(Call call) {
        String name = call.requiredString("Name");
        if (name.startsWith("arn:")) {
            throw AwsError.invalidParameter("Name must be a name, not an ARN.");
        }
        ctx.authorize(call, "CreateSecret", ctx.arns().unsuffixed(name), name);
        if (call.has("AddReplicaRegions")) {
            throw AwsError.invalidRequest("Replication to other regions is not supported by this server.");
        }
        Map<String, String> tags = Views.tagsFrom(call.node("Tags"));
        if (!tags.isEmpty()) {
            ctx.authorize(call, "TagResource", ctx.arns().unsuffixed(name), name);
        }
        SecretValue value = value(call, SecretKind.GENERIC);
        CreateSecretRequest req = CreateSecretRequest.of(name, SecretKind.GENERIC, value)
                .withDescription(call.string("Description")).withTags(tags);
        if (call.string("KmsKeyId") != null) {
            req = req.withKeyName(call.string("KmsKeyId"));
        }
        if (call.string("ClientRequestToken") != null) {
            req = req.withToken(call.string("ClientRequestToken"));
        }
        SecretDescription d = ctx.client().createSecret(req);
        ObjectNode o = Views.object().put("ARN", ctx.arns().arn(name, d.created())).put("Name", name);
        d.versionWith(Label.CURRENT).ifPresent(v -> o.put("VersionId", v.versionId()));
        return o;
    }

    ObjectNode get(Call call) {
        Context.Target t = ctx.target(call, "GetSecretValue");
        return valueOf(t, call.string("VersionId"), call.string("VersionStage"));
    }

    private ObjectNode valueOf(Context.Target t, String versionId, String stage) {
        GetSecretValueRequest req = GetSecretValueRequest.of(t.name());
        if (versionId != null) {
            req = req.withVersionId(versionId);
        }
        if (stage != null) {
            req = req.withLabel(Views.label(stage));
        }
        SecretVersion v = ctx.client().getSecretValue(req);
        if (versionId != null && stage != null && !v.labels().contains(Views.label(stage))) {
            throw AwsError.notFound("Secrets Manager can't find the specified secret value for VersionId: " + versionId
                    + " and staging label: " + stage);
        }
        return view(t, v);
    }

    private static ObjectNode view(Context.Target t, SecretVersion v) {
        ObjectNode o = Views.object().put("ARN", t.arn()).put("Name", t.name()).put("VersionId", v.versionId());
        if (v.value().type() == ValueType.BINARY) {
            o.put("SecretBinary", v.value().bytes());
        } else {
            o.put("SecretString", v.value().text());
        }
        o.set("VersionStages", Views.labels(v.labels()));
        o.set("CreatedDate", Views.time(v.created()));
        return o;
    }

    /**
     * Resolves and authorises each secret (GetSecretValue on each, as AWS), then reads the allowed ones
     * in one batch of the library; refusals and failed reads are reported per secret.
     */
    ObjectNode batchGet(Call call, ListActions lists) {
        ctx.authorize(call, "BatchGetSecretValue", "*", null);
        List<String> ids = call.strings("SecretIdList");
        boolean filtered = call.has("Filters");
        if (ids.isEmpty() == !filtered) {
            throw AwsError.invalidParameter("Specify either SecretIdList or Filters, not both.");
        }
        String next = null;
        if (filtered) {
            ListActions.Listed page = lists.filtered(call, 20);
            ids = new ArrayList<>();
            for (SecretDescription d : page.items()) {
                ids.add(d.id().value());
            }
            next = page.nextToken();
        } else if (ids.size() > 20) {
            throw AwsError.invalidParameter("SecretIdList holds at most 20 secrets.");
        }
        ArrayNode errors = Views.F.arrayNode();
        Map<String, Context.Target> targets = new LinkedHashMap<>();
        for (String id : ids) {
            try {
                Context.Target t = ctx.target(call, "GetSecretValue", id);
                targets.put(t.name(), t);
            } catch (RuntimeException e) {
                AwsError a = LibraryErrors.map(e);
                if (a == null) {
                    throw e;
                }
                errors.add(Views.object().put("SecretId", id).put("ErrorCode", a.type()).put("Message", a.getMessage()));
            }
        }
        BatchGetResult read = ctx.client().getSecretValues(targets.keySet());
        ArrayNode values = Views.F.arrayNode();
        for (Context.Target t : targets.values()) {
            read.value(t.name()).ifPresent(v -> values.add(view(t, v)));
            read.error(t.name()).ifPresent(e -> errors.add(Views.object().put("SecretId", e.secretId())
                    .put("ErrorCode", e.errorCode()).put("Message", e.message())));
        }
        ObjectNode o = Views.object();
        o.set("SecretValues", values);
        o.set("Errors", errors);
        if (next != null) {
            o.put("NextToken", next);
        }
        return o;
    }

    ObjectNode put(Call call) {
        Context.Target t = ctx.target(call, "PutSecretValue");
        SecretValue value = value(call, t.description().kind());
        if (value == null) {
            throw AwsError.invalidRequest("You must provide either SecretString or SecretBinary.");
        }
        PutSecretValueRequest req = PutSecretValueRequest.of(t.name(), value).withToken(call.string("ClientRequestToken"));
        List<String> stages = call.strings("VersionStages");
        if (!stages.isEmpty()) {
            List<Label> labels = new ArrayList<>();
            stages.forEach(s -> labels.add(Views.label(s)));
            req = req.withLabels(labels);
        }
        String versionId = ctx.client().putSecretValue(req);
        SecretVersion written = ctx.client().getSecretValue(GetSecretValueRequest.of(t.name()).withVersionId(versionId));
        ObjectNode o = Views.object().put("ARN", t.arn()).put("Name", t.name()).put("VersionId", versionId);
        o.set("VersionStages", Views.labels(written.labels()));
        return o;
    }

    ObjectNode update(Call call) {
        Context.Target t = ctx.target(call, "UpdateSecret");
        ObjectNode o = Views.object().put("ARN", t.arn()).put("Name", t.name());
        if (call.has("Description")) {
            ctx.client().updateDescription(t.name(), call.string("Description"));
        }
        String key = call.string("KmsKeyId");
        if (key != null && !key.equals(t.description().keyName())) {
            ctx.client().moveToKey(t.name(), key);
        }
        SecretValue value = value(call, t.description().kind());
        if (value != null) {
            String versionId = ctx.client().putSecretValue(
                    PutSecretValueRequest.of(t.name(), value).withToken(call.string("ClientRequestToken")));
            o.put("VersionId", versionId);
        }
        return o;
    }

    ObjectNode updateStage(Call call) {
        Context.Target t = ctx.target(call, "UpdateSecretVersionStage");
        Label label = Views.label(call.requiredString("VersionStage"));
        String to = call.string("MoveToVersionId");
        String from = call.string("RemoveFromVersionId");
        String holder = t.description().versionWith(label).map(v -> v.versionId()).orElse(null);
        if (holder != null && !holder.equals(from) && !holder.equals(to)) {
            throw AwsError.invalidParameter("The staging label " + Views.awsLabel(label) + " is currently attached to version "
                    + holder + ", so you must explicitly reference that version in RemoveFromVersionId.");
        }
        if (to != null) {
            ctx.client().moveLabel(t.name(), label, to, holder);
        } else if (from != null) {
            if (label.equals(Label.CURRENT)) {
                throw AwsError.invalidParameter("You can only move staging label AWSCURRENT to a different secret version. "
                        + "It can't be completely removed.");
            }
            if (from.equals(holder)) {
                ctx.client().removeLabel(t.name(), label);
            }
        } else {
            throw AwsError.invalidParameter("Specify MoveToVersionId or RemoveFromVersionId.");
        }
        return Views.object().put("ARN", t.arn()).put("Name", t.name());
    }

    ObjectNode describe(Call call) {
        Context.Target t = ctx.target(call, "DescribeSecret");
        return Views.describe(ctx, t.description(), false);
    }

    /** The value a request carries, fitted to the secret's kind; null when it carries none. */
    private static SecretValue value(Call call, SecretKind kind) {
        String s = call.string("SecretString");
        byte[] b = call.blob("SecretBinary");
        if (s != null && b != null) {
            throw AwsError.invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
        }
        if (s != null) {
            return kind.isDatabase() ? SecretValue.ofJson(s) : SecretValue.ofText(s);
        }
        return b == null ? null : SecretValue.ofBytes(b);
    }
}
