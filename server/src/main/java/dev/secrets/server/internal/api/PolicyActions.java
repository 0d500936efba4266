package dev.secrets.server.internal.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.secrets.server.internal.auth.Policy;

/**
 * GetResourcePolicy, PutResourcePolicy, DeleteResourcePolicy, ValidateResourcePolicy: a secret's
 * resource policy names access keys in {@code Principal} and is evaluated with the key's own policy.
 */
final class PolicyActions {
    private final Context ctx;

    PolicyActions(Context ctx) {
        this.ctx = ctx;
    }

    ObjectNode get(Call call) {
        Context.Target t = ctx.target(call, "GetResourcePolicy");
        ObjectNode o = Views.object().put("ARN", t.arn()).put("Name", t.name());
        ctx.resourcePolicies().of(t.name(), t.arn()).ifPresent(p -> o.put("ResourcePolicy", p.text()));
        return o;
    }

    ObjectNode put(Call call) {
        Context.Target t = ctx.target(call, "PutResourcePolicy");
        String doc = call.requiredString("ResourcePolicy");
        Policy.parse(doc, true);
        ctx.resourcePolicies().put(t.name(), t.arn(), doc);
        return Views.object().put("ARN", t.arn()).put("Name", t.name());
    }

    ObjectNode delete(Call call) {
        Context.Target t = ctx.target(call, "DeleteResourcePolicy");
        ctx.resourcePolicies().delete(t.name());
        return Views.object().put("ARN", t.arn()).put("Name", t.name());
    }

    ObjectNode validate(Call call) {
        if (call.string("SecretId") != null) {
            ctx.target(call, "ValidateResourcePolicy");
        } else {
            ctx.authorize(call, "ValidateResourcePolicy", "*", null);
        }
        ObjectNode o = Views.object();
        try {
            Policy.parse(call.requiredString("ResourcePolicy"), true);
            o.put("PolicyValidationPassed", true);
            o.putArray("ValidationErrors");
        } catch (AwsError e) {
            o.put("PolicyValidationPassed", false);
            o.putArray("ValidationErrors").addObject().put("CheckName", "SYNTAX").put("ErrorMessage", e.getMessage());
        }
        return o;
    }
}
