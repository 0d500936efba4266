package dev.secrets.server.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.secrets.server.internal.api.AwsError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A policy in a subset of IAM's JSON grammar, evaluated as IAM evaluates it: an explicit
 * {@code Deny} that matches wins, else an {@code Allow} that matches allows, else the request is
 * denied. Statements have {@code Effect}, {@code Action} or {@code NotAction} (case-insensitive,
 * {@code *} and {@code ?} wildcards), {@code Resource} or {@code NotResource} (case-sensitive
 * wildcards), optionally {@code Principal} (resource policies only) and {@code Sid}. Anything else
 * — a {@code Condition}, an unknown key, a malformed value — is refused at parse time with
 * {@code MalformedPolicyDocumentException}, rather than ignored. Immutable and thread-safe.
 */
public final class Policy {
    /** The outcome of evaluating one request. */
    public enum Decision { ALLOW, DENY, NOT_APPLICABLE }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STATEMENT_KEYS =
            Set.of("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal");

    private final List<Statement> statements;
    private final String text;

    private Policy(List<Statement> statements, String text) {
        this.statements = statements;
        this.text = text;
    }

    /** The policy as given. */
    public String text() {
        return text;
    }

    /**
     * Parses a policy document.
     *
     * @param resourcePolicy true for a secret's resource policy, whose statements need a
     *     {@code Principal}; false for an access key's policy, which must not have one
     */
    public static Policy parse(String document, boolean resourcePolicy) {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (Exception e) {
            throw AwsError.malformedPolicy("The policy is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw AwsError.malformedPolicy("The policy must be a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("Version") && !k.equals("Statement") && !k.equals("Id")) {
                throw AwsError.malformedPolicy("Unsupported policy element: " + k);
            }
        }
        JsonNode version = root.get("Version");
        if (version != null && !version.asText().equals("2012-10-17") && !version.asText().equals("2008-10-17")) {
            throw AwsError.malformedPolicy("Unsupported policy version: " + version.asText());
        }
        JsonNode st = root.get("Statement");
        if (st == null || !(st.isObject() || st.isArray()) || (st.isArray() && st.isEmpty())) {
            throw AwsError.malformedPolicy("The policy needs at least one Statement");
        }
        List<Statement> out = new ArrayList<>();
        for (JsonNode s : st.isArray() ? st : List.of(st)) {
            out.add(statement(s, resourcePolicy));
        }
        return new Policy(List.copyOf(out), document);
    }

    private static Statement statement(JsonNode s, boolean resourcePolicy) {
        if (!s.isObject()) {
            throw AwsError.malformedPolicy("Each Statement must be a JSON object");
        }
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!STATEMENT_KEYS.contains(k)) {
                throw AwsError.malformedPolicy("Unsupported statement element: " + k);
            }
        }
        String effect = s.path("Effect").asText("");
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw AwsError.malformedPolicy("Effect must be Allow or Deny");
        }
        boolean notAction = s.has("NotAction");
        if (s.has("Action") == notAction) {
            throw AwsError.malformedPolicy("A statement needs exactly one of Action and NotAction");
        }
        boolean notResource = s.has("NotResource");
        if (s.has("Resource") == notResource) {
            throw AwsError.malformedPolicy("A statement needs exactly one of Resource and NotResource");
        }
        List<Pattern> actions = new ArrayList<>();
        for (String a : strings(s.get(notAction ? "NotAction" : "Action"), "Action")) {
            if (!a.equals("*") && !a.toLowerCase(Locale.ROOT).startsWith("secretsmanager:")) {
                throw AwsError.malformedPolicy("Actions must be secretsmanager:NAME or *, not " + a);
            }
            actions.add(glob(a, true));
        }
        List<Pattern> resources = new ArrayList<>();
        for (String r : strings(s.get(notResource ? "NotResource" : "Resource"), "Resource")) {
            if (!r.equals("*") && !r.startsWith("arn:")) {
                throw AwsError.malformedPolicy("Resources must be ARNs or *, not " + r);
            }
            resources.add(glob(r, false));
        }
        List<String> principals = null;
        if (s.has("Principal")) {
            if (!resourcePolicy) {
                throw AwsError.malformedPolicy("An access key's policy has no Principal");
            }
            JsonNode p = s.get("Principal");
            principals = p.isTextual() ? strings(p, "Principal") : strings(p.get("AWS"), "Principal");
        } else if (resourcePolicy) {
            throw AwsError.malformedPolicy("A resource policy statement needs a Principal");
        }
        return new Statement(effect.equals("Allow"), notAction, actions, notResource, resources, principals);
    }

    private static List<String> strings(JsonNode n, String what) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isTextual()) {
            out.add(n.asText());
        } else if (n != null && n.isArray() && !n.isEmpty()) {
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    throw AwsError.malformedPolicy(what + " must be a string or a list of strings");
                }
                out.add(e.asText());
            }
        } else {
            throw AwsError.malformedPolicy(what + " must be a string or a non-empty list of strings");
        }
        return out;
    }

    private static Pattern glob(String g, boolean ignoreCase) {
        StringBuilder b = new StringBuilder();
        for (char c : g.toCharArray()) {
            if (c == '*') {
                b.append(".*");
            } else if (c == '?') {
                b.append('.');
            } else {
                b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.DOTALL : Pattern.DOTALL);
    }

    /**
     * Evaluates {@code action} (e.g. {@code secretsmanager:GetSecretValue}) on {@code resource} (an
     * ARN or {@code *}) for {@code principal} (an access key's name; ignored unless this is a
     * resource policy).
     */
    public Decision evaluate(String action, String resource, String principal, String account) {
        boolean allowed = false;
        for (Statement s : statements) {
            if (s.matches(action, resource, principal, account)) {
                if (!s.allow) {
                    return Decision.DENY;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOW : Decision.NOT_APPLICABLE;
    }

    private record Statement(boolean allow, boolean notAction, List<Pattern> actions, boolean notResource,
                             List<Pattern> resources, List<String> principals) {
        boolean matches(String action, String resource, String principal, String account) {
            boolean a = actions.stream().anyMatch(p -> p.matcher(action).matches());
            boolean r = resources.stream().anyMatch(p -> p.matcher(resource).matches());
            return a != notAction && r != notResource && principalMatches(principal, account);
        }

        private boolean principalMatches(String principal, String account) {
            if (principals == null) {
                return true;
            }
            for (String p : principals) {
                if (p.equals("*") || p.equals(principal) || p.equals("arn:aws:iam::" + account + ":user/" + principal)) {
                    return true;
                }
            }
            return false;
        }
    }
}
