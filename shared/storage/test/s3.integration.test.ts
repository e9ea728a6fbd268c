import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { type Moto, startMoto } from "@pipes/testkit";
import { afterAll, beforeAll } from "vitest";
import { openStore, s3ClientFromEnv } from "../src/index.ts";
import { describeStoreContract } from "./store-contract.ts";

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
  await s3ClientFromEnv(moto.env).send(new CreateBucketCommand({ Bucket: "backups" }));
});
afterAll(async () => moto?.stop());

describeStoreContract("S3 on moto", () => ({
  open: (prefix) => openStore(`s3://backups/${prefix}`, { env: moto.env, cwd: "/", variable: "STORE" }),
  location: (prefix) => `s3://backups/${prefix}`,
  secrets: [moto.secretAccessKey],
  // moto's server (Werkzeug) drops request headers whose name has an underscore, so
  // x-amz-meta-terraform_version never reaches it; real S3 keeps such names.
  served: (written) => Object.fromEntries(Object.entries(written).filter(([name]) => !name.includes("_"))),
}));
