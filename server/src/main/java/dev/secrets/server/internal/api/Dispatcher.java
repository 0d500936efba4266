package dev.secrets.server.internal.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Routes {@code X-Amz-Target: secretsmanager.ACTION} to its handler, refusing fields the action does
 * not have, and runs it as the caller (every audit event the library writes names the access key).
 * Library exceptions become AWS errors here. Thread-safe.
 */
public final class Dispatcher {
    private record Route(Set<String> fields, Function<Call, ObjectNode> handler) {
    }

    private static final Set<String> UNSERVED = Set.of("ReplicateSecretToRegions", "RemoveRegionsFromReplication",
            "StopReplicationToReplica");

    private final Context ctx;
    private final Map<String, Route> routes = new HashMap<>();

    public Dispatcher(Context ctx) {
        this.ctx = ctx;
        SecretActions s = new SecretActions(ctx);
        ListActions l = new ListActions(ctx);
        LifecycleActions c = new LifecycleActions(ctx);
        PolicyActions p = new PolicyActions(ctx);
        route("CreateSecret", s::create, "Name", "ClientRequestToken", "Description", "KmsKeyId", "SecretBinary",
                "SecretString", "Tags", "AddReplicaRegions", "ForceOverwriteReplicaSecret");
        route("GetSecretValue", s::get, "SecretId", "VersionId", "VersionStage");
        route("BatchGetSecretValue", call -> s.batchGet(call, l), "SecretIdList", "Filters", "MaxResults", "NextToken");
        route("PutSecretValue", s::put, "SecretId", "ClientRequestToken", "SecretBinary", "SecretString", "VersionStages",
                "RotationToken");
        route("UpdateSecret", s::update, "SecretId", "ClientRequestToken", "Description", "KmsKeyId", "SecretBinary",
                "SecretString");
        route("UpdateSecretVersionStage", s::updateStage, "SecretId", "VersionStage", "RemoveFromVersionId", "MoveToVersionId");
        route("DescribeSecret", s::describe, "SecretId");
        route("ListSecrets", l::list, "IncludePlannedDeletion", "MaxResults", "NextToken", "Filters", "SortOrder", "SortBy");
        route("ListSecretVersionIds", l::versions, "SecretId", "MaxResults", "NextToken", "IncludeDeprecated");
        route("DeleteSecret", c::delete, "SecretId", "RecoveryWindowInDays", "ForceDeleteWithoutRecovery");
        route("RestoreSecret", c::restore, "SecretId");
        route("RotateSecret", c::rotate, "SecretId", "ClientRequestToken", "RotationLambdaARN", "RotationRules",
                "RotateImmediately");
        route("CancelRotateSecret", c::cancelRotate, "SecretId");
        route("GetRandomPassword", c::randomPassword, "PasswordLength", "ExcludeCharacters", "ExcludeNumbers",
                "ExcludePunctuation", "ExcludeUppercase", "ExcludeLowercase", "IncludeSpace", "RequireEachIncludedType");
        route("TagResource", c::tag, "SecretId", "Tags");
        route("UntagResource", c::untag, "SecretId", "TagKeys");
        route("GetResourcePolicy", p::get, "SecretId");
        route("PutResourcePolicy", p::put, "SecretId", "ResourcePolicy", "BlockPublicPolicy");
        route("DeleteResourcePolicy", p::delete, "SecretId");
        route("ValidateResourcePolicy", p::validate, "SecretId", "ResourcePolicy");
    }

    private void route(String action, Function<Call, ObjectNode> handler, String... fields) {
        routes.put(action, new Route(Set.of(fields), handler));
    }

    /** Whether {@code action} is one this server answers (checked before authentication costs anything). */
    public void requireKnown(String action) {
        if (UNSERVED.contains(action)) {
            throw AwsError.unknownOperation(action + " (replication) is not supported by this server.");
        }
        if (!routes.containsKey(action)) {
            throw AwsError.unknownOperation("Unknown operation: " + action.replaceAll("[^A-Za-z0-9]", "?"));
        }
    }

    /**
     * Answers {@code action}; the body was parsed and the caller authenticated.
     *
     * @throws AwsError for every refusal; an unexpected failure becomes {@code InternalServiceError}
     */
    public ObjectNode dispatch(String action, Call call, ObjectNode body) {
        requireKnown(action);
        Route r = routes.get(action);
        Call.onlyKnown(body, r.fields());
        try {
            return ctx.client().callAs(call.caller(), () -> r.handler().apply(call));
        } catch (RuntimeException e) {
            AwsError a = LibraryErrors.map(e);
            if (a == null) {
                throw AwsError.internal(e);
            }
            throw a;
        }
    }
}
