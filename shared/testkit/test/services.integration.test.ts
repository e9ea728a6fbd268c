/**
 * The real services the integration and container tests run against: each starts on loopback,
 * answers its protocol, and is gone after stop().
 */
import { afterAll, describe, expect, it } from "vitest";
import { startAzurite, startMoto, startPostgres } from "../src/services.ts";

describe("test services", () => {
  const stops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  it("moto's server answers STS GetCallerIdentity for the test credentials", async () => {
    const moto = await startMoto();
    stops.push(moto.stop);
    const response = await fetch(moto.endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        // moto checks nothing of the signature, but needs the access key to pick the account.
        authorization: `AWS4-HMAC-SHA256 Credential=${moto.accessKeyId}/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<Account>123456789012</Account>");
    await moto.stop();
    await expect(fetch(`${moto.endpoint}/moto-api/`)).rejects.toThrow();
  });

  it("PostgreSQL runs SQL in its own database", async () => {
    const pg = await startPostgres("state");
    stops.push(pg.stop);
    pg.sql("create table t (n int); insert into t values (41), (1)");
    expect(pg.sql("select sum(n) from t")).toBe("42");
    expect(pg.connectionString).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/state\?sslmode=disable$/);
  });

  it("Azurite's Blob service answers with its development account", async () => {
    const azurite = await startAzurite();
    stops.push(azurite.stop);
    const response = await fetch(`${azurite.blobEndpoint}?comp=list`);
    // Unsigned: Azurite refuses it the way Azure does, which proves it is Azure's protocol on that port.
    expect([200, 403]).toContain(response.status);
    expect(azurite.connectionString).toContain("AccountName=devstoreaccount1");
  });
});
