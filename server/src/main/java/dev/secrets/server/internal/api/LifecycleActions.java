package dev.secrets.server.internal.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.Label;
import dev.secrets.RandomPassword;
import dev.secrets.RotationDescription;
import dev.secrets.RotationSettings;
import dev.secrets.VersionDescription;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** DeleteSecret, RestoreSecret, TagResource, UntagResource, GetRandomPassword, RotateSecret, CancelRotateSecret. */
final class LifecycleActions {
    private final Context ctx;

    LifecycleActions(Context ctx) {
        this.ctx = ctx;
    }

    ObjectNode delete(Call call) {
        Context.Target t = ctx.target(call, "DeleteSecret");
        Long days = call.number("RecoveryWindowInDays");
        boolean force = Boolean.TRUE.equals(call.bool("ForceDeleteWithoutRecovery"));
        if (force && days != null) {
            throw AwsError.invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
        }
        ObjectNode o = Views.object().put("ARN", t.arn()).put("Name", t.name());
        if (force) {
            ctx.client().forceDeleteSecret(t.name());
            o.set("DeletionDate", Views.time(ctx.clock().instant()));
            return o;
        }
        if (t.description().isScheduledForDeletion()) {
            throw AwsError.invalidRequest("You can't perform this operation on the secret because it was already scheduled for deletion.");
        }
        if (days != null && (days < 7 || days > 30)) {
            throw AwsError.invalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        }
        Instant when = days == null ? ctx.client().deleteSecret(t.name()) : ctx.client().deleteSecret(t.name(), days.intValue());
        o.set("DeletionDate", Views.time(when));
        return o;
    }

    ObjectNode restore(Call call) {
        Context.Target t = ctx.target(call, "RestoreSecret");
        ctx.client().restoreSecret(t.name());
        return Views.object().put("ARN", t.arn()).put("Name", t.name());
    }

    ObjectNode tag(Call call) {
        Context.Target t = ctx.target(call, "TagResource");
        Map<String, String> tags = Views.tagsFrom(call.node("Tags"));
        if (tags.isEmpty()) {
            throw AwsError.invalidParameter("You must specify at least one tag.");
        }
        ctx.client().tagSecret(t.name(), tags);
        return Views.object();
    }

    ObjectNode untag(Call call) {
        Context.Target t = ctx.target(call, "UntagResource");
        List<String> keys = call.strings("TagKeys");
        if (keys.isEmpty()) {
            throw AwsError.invalidParameter("You must specify at least one tag key.");
        }
        ctx.client().untagSecret(t.name(), keys);
        return Views.object();
    }

    ObjectNode randomPassword(Call call) {
        ctx.authorize(call, "GetRandomPassword", "*", null);
        Map<String, String> p = new LinkedHashMap<>();
        option(call, p, "PasswordLength", RandomPassword.PASSWORD_LENGTH);
        option(call, p, "ExcludeCharacters", RandomPassword.EXCLUDE_CHARACTERS);
        option(call, p, "ExcludeNumbers", RandomPassword.EXCLUDE_NUMBERS);
        option(call, p, "ExcludePunctuation", RandomPassword.EXCLUDE_PUNCTUATION);
        option(call, p, "ExcludeUppercase", RandomPassword.EXCLUDE_UPPERCASE);
        option(call, p, "ExcludeLowercase", RandomPassword.EXCLUDE_LOWERCASE);
        option(call, p, "IncludeSpace", RandomPassword.INCLUDE_SPACE);
        option(call, p, "RequireEachIncludedType", RandomPassword.REQUIRE_EACH_INCLUDED_TYPE);
        return Views.object().put("RandomPassword", RandomPassword.fromParameters(p).generate(ctx.random()));
    }

    private static void option(Call call, Map<String, String> p, String field, String param) {
        if (call.has(field)) {
            p.put(param, call.node(field).asText());
        }
    }

    /**
     * The rotation "Lambda ARN" names a rotator ({@code random-password}, or
     * {@code arn:aws:lambda:…:function:random-password}); the rules give the schedule.
     */
    ObjectNode rotate(Call call) {
        Context.Target t = ctx.target(call, "RotateSecret");
        RotationDescription current = t.description().rotation();
        String lambda = call.string("RotationLambdaARN");
        String rotator = lambda == null ? (current == null ? null : current.rotator()) : rotatorOf(lambda);
        if (rotator == null) {
            throw AwsError.invalidRequest("No Lambda rotation function ARN is associated with this secret.");
        }
        String schedule = schedule(call, current);
        if (lambda != null || call.has("RotationRules") || current == null) {
            RotationSettings s = new RotationSettings(rotator, schedule, current == null ? null : current.zone(),
                    current == null ? Map.of() : current.parameters(), true);
            ctx.client().configureRotation(t.name(), s);
        }
        ObjectNode o = Views.object().put("ARN", t.arn()).put("Name", t.name());
        if (!Boolean.FALSE.equals(call.bool("RotateImmediately"))) {
            o.put("VersionId", ctx.client().rotateNow(t.name()));
        }
        return o;
    }

    private static String rotatorOf(String lambda) {
        int i = lambda.indexOf(":function:");
        String name = i < 0 ? lambda : lambda.substring(i + ":function:".length());
        int q = name.indexOf(':'); // a version qualifier
        return q < 0 ? name : name.substring(0, q);
    }

    private static String schedule(Call call, RotationDescription current) {
        if (!call.has("RotationRules")) {
            return current == null ? null : current.schedule();
        }
        if (!call.node("RotationRules").isObject()) {
            throw AwsError.serialization("RotationRules must be an object");
        }
        var rules = call.node("RotationRules");
        if (rules.hasNonNull("ScheduleExpression")) {
            String e = rules.get("ScheduleExpression").asText().trim();
            return e.startsWith("cron(") && e.endsWith(")") ? e.substring(5, e.length() - 1) : e;
        }
        if (rules.hasNonNull("AutomaticallyAfterDays")) {
            long d = rules.get("AutomaticallyAfterDays").asLong();
            if (d < 1 || d > 1000) {
                throw AwsError.invalidParameter("AutomaticallyAfterDays must be 1 to 1000.");
            }
            return "rate(" + d + " days)";
        }
        return current == null ? null : current.schedule();
    }

    /**
     * The library's cancel (schedule off; a rotation in progress stopped, its target set back and
     * {@code PENDING} removed); the answer names the pending version, as AWS does.
     */
    ObjectNode cancelRotate(Call call) {
        Context.Target t = ctx.target(call, "CancelRotateSecret");
        ObjectNode o = Views.object().put("ARN", t.arn()).put("Name", t.name());
        if (t.description().rotation() == null) {
            return o; // nothing configured: nothing to cancel
        }
        Optional<VersionDescription> pending = t.description().versionWith(Label.PENDING)
                .filter(v -> !v.labels().contains(Label.CURRENT));
        ctx.client().cancelRotation(t.name());
        pending.ifPresent(v -> o.put("VersionId", v.versionId()));
        return o;
    }
}
