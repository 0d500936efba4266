// The AWS SDK for JavaScript v3 Secrets Manager client, unchanged, against `secrets serve`:
// configured only with endpoint, region and credentials as its documentation says. Prints one JSON
// object of what it observed; JsSdkTest asserts on it.
import {
  SecretsManagerClient, CreateSecretCommand, GetSecretValueCommand, BatchGetSecretValueCommand,
  ListSecretsCommand, paginateListSecrets,
} from "@aws-sdk/client-secrets-manager";

const sm = new SecretsManagerClient({
  endpoint: process.env.SECRETS_ENDPOINT,
  region: "us-east-1",
  credentials: { accessKeyId: process.env.KEY_ID, secretAccessKey: process.env.SECRET_KEY },
  maxAttempts: 1,
});

const seen = {};
const created = await sm.send(new CreateSecretCommand({ Name: "js/app", SecretString: '{"user":"js","password":"p1"}' }));
seen.createdArn = created.ARN;
await sm.send(new CreateSecretCommand({ Name: "js/other", SecretBinary: new Uint8Array([0, 1, 2, 255]) }));
const got = await sm.send(new GetSecretValueCommand({ SecretId: "js/app" }));
seen.get = { value: got.SecretString, stages: got.VersionStages, createdIsDate: got.CreatedDate instanceof Date,
  sameVersion: got.VersionId === created.VersionId };
const batch = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: ["js/app", "js/other", "js/missing"] }));
seen.batch = {
  values: batch.SecretValues.map((v) => v.Name + "=" + (v.SecretString ?? Array.from(v.SecretBinary).join(","))).sort(),
  errors: batch.Errors.map((e) => e.SecretId + ":" + e.ErrorCode),
};
const names = [];
for await (const page of paginateListSecrets({ client: sm, pageSize: 1 }, { Filters: [{ Key: "name", Values: ["js/"] }] })) {
  names.push(...page.SecretList.map((s) => s.Name));
}
seen.listed = names.sort();
try {
  await sm.send(new GetSecretValueCommand({ SecretId: "js/missing" }));
  seen.missing = "no error";
} catch (e) {
  seen.missing = { name: e.name, status: e.$metadata.httpStatusCode };
}
const all = await sm.send(new ListSecretsCommand({}));
seen.listAllHasApp = all.SecretList.some((s) => s.ARN === created.ARN);
console.log(JSON.stringify(seen));
