import { InputError } from "@pipes/core";
import { describe, expect, it } from "vitest";
import { connectionFor, endpointOverrides } from "../src/connection.ts";
import { bitbucketCredentials, credentialSecrets } from "../src/credentials.ts";

describe("credentials", () => {
  it("prefers an access token, sent as Bearer", () => {
    const credentials = bitbucketCredentials({ accessToken: "tok", username: "ann", appPassword: "pw" });
    expect(credentials).toEqual({ kind: "access-token", token: "tok" });
    expect(connectionFor({ credentials }).authorization).toBe("Bearer tok");
  });

  it.each([
    [{ username: "ann", appPassword: "app-pw" }, "ann:app-pw"],
    [{ username: "ann@example.com", apiToken: "api-tok" }, "ann@example.com:api-tok"],
  ])("sends a username with an app password or API token as Basic (%o)", (values, pair) => {
    const connection = connectionFor({ credentials: bitbucketCredentials(values) });
    expect(connection.authorization).toBe(`Basic ${Buffer.from(pair).toString("base64")}`);
    expect(connection.baseUrl.href).toBe("https://api.bitbucket.org/2.0");
    expect(connection.proxy).toBeUndefined();
  });

  it("is none when no variable is set, or only blank ones", () => {
    expect(bitbucketCredentials({})).toBeUndefined();
    expect(bitbucketCredentials({ accessToken: " ", username: "" })).toBeUndefined();
  });

  it.each([{ username: "ann" }, { appPassword: "pw" }, { apiToken: "tok" }])(
    "rejects half a username and secret (%o) instead of falling back to the proxy",
    (values) => {
      expect(() => bitbucketCredentials(values)).toThrow(InputError);
    },
  );

  it("masks the Basic header as well as the secret: the encoded pair does not contain the encoded secret", () => {
    const secrets = credentialSecrets({ kind: "basic", username: "ann", secret: "s3cret-pw" });
    expect(secrets).toEqual(["s3cret-pw", Buffer.from("ann:s3cret-pw").toString("base64")]);
  });
});

describe("the Pipelines proxy", () => {
  it("is used without credentials: plain http to api.bitbucket.org through host.docker.internal:29418", () => {
    const connection = connectionFor({});
    expect(connection.mode).toBe("Pipelines proxy");
    expect(connection.baseUrl.href).toBe("http://api.bitbucket.org/2.0");
    expect(connection.proxy?.href).toBe("http://host.docker.internal:29418/");
    expect(connection.authorization).toBeUndefined();
  });

  it("refuses an https API URL, which the proxy could not authenticate", () => {
    expect(() => connectionFor({ baseUrl: "https://api.bitbucket.org/2.0" })).toThrow(/plain-http/);
  });

  it("takes the API and proxy addresses from BITBUCKET_API_URL and BITBUCKET_PIPELINES_PROXY", () => {
    expect(
      endpointOverrides({
        BITBUCKET_API_URL: "http://127.0.0.1:9/2.0",
        BITBUCKET_PIPELINES_PROXY: "http://127.0.0.1:9",
      }),
    ).toEqual({ baseUrl: "http://127.0.0.1:9/2.0", proxyUrl: "http://127.0.0.1:9" });
    expect(endpointOverrides({ BITBUCKET_API_URL: "" })).toEqual({});
  });

  it("names a malformed address in the error", () => {
    expect(() => connectionFor({ proxyUrl: "host.docker.internal" })).toThrow(
      'The Pipelines proxy URL "host.docker.internal" is not a URL.',
    );
  });
});
