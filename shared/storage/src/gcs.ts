/**
 * Google Cloud Storage through the official SDK. An object is written by one single-request upload
 * (`resumable: false`) of body and metadata, which GCS makes visible whole or not at all. A get
 * reads the object's metadata, then downloads that very generation, so body and metadata always
 * belong together even while another writer replaces the object. Custom metadata takes any
 * name and UTF-8 value, so it is stored as it is.
 *
 * Credentials: Application Default Credentials, with GOOGLE_APPLICATION_CREDENTIALS from the
 * environment given (a service account key, or an `external_account` configuration for workload
 * identity federation, as @pipes/oidc writes it for a pipeline's OIDC token). STORAGE_EMULATOR_HOST
 * (http://host:port) points the client at an emulator, without credentials.
 */
import { type Bucket, type File, Storage } from "@google-cloud/storage";
import { type Env, PipeError } from "@pipes/core";
import { checkKey, type ObjectInfo, type ObjectStore, type StoredObject } from "./types.ts";

export function gcsBucketFromEnv(env: Env, bucket: string): Bucket {
  const emulator = env.STORAGE_EMULATOR_HOST;
  const projectId = env.GOOGLE_CLOUD_PROJECT ?? env.CLOUDSDK_CORE_PROJECT;
  const storage = new Storage({
    ...(emulator ? { apiEndpoint: emulator } : {}),
    ...(env.GOOGLE_APPLICATION_CREDENTIALS ? { keyFilename: env.GOOGLE_APPLICATION_CREDENTIALS } : {}),
    ...(projectId ? { projectId } : {}),
  });
  return storage.bucket(bucket);
}

function status(error: unknown): number | undefined {
  return (error as { code?: unknown }).code === 404 ? 404 : undefined;
}

type GcsMetadata = Record<string, string | number | boolean | null> | undefined;

function readMetadata(metadata: GcsMetadata): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata ?? {})
      .filter(([, value]) => value !== null)
      .map(([name, value]) => [name, String(value)]),
  );
}

/** How many times a get follows an object replaced between its metadata read and its download. */
const GET_ATTEMPTS = 3;

export class GcsStore implements ObjectStore {
  readonly location: string;
  readonly #bucket: Bucket;
  readonly #prefix: string;

  constructor(bucket: Bucket, prefix: string) {
    this.#bucket = bucket;
    this.#prefix = prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`;
    this.location = `gs://${bucket.name}${this.#prefix === "" ? "" : `/${this.#prefix.replace(/\/$/, "")}`}`;
  }

  #name(key: string): string {
    checkKey(key);
    return `${this.#prefix}${key}`;
  }

  #info(key: string, file: File): ObjectInfo {
    const { size, updated, metadata } = file.metadata;
    return {
      key,
      size: Number(size ?? 0),
      modified: new Date(updated ?? 0),
      metadata: readMetadata(metadata),
    };
  }

  /** A missing bucket is the operator's to create: say so rather than pass on a bare 404. */
  #explain(error: unknown): unknown {
    if (status(error) !== 404) return error;
    return new PipeError(`the bucket of ${this.location} does not exist`, {
      code: "STORE_NOT_FOUND",
      suggestion: `Create it first: gcloud storage buckets create gs://${this.#bucket.name}`,
      cause: error,
    });
  }

  async put(key: string, body: Uint8Array, metadata: Record<string, string> = {}): Promise<void> {
    try {
      await this.#bucket.file(this.#name(key)).save(Buffer.from(body), {
        resumable: false,
        contentType: "application/octet-stream",
        metadata: { metadata },
      });
    } catch (error) {
      throw this.#explain(error);
    }
  }

  /** The object's info and the generation it describes; undefined when it does not exist. */
  async #stat(
    key: string,
  ): Promise<{ info: ObjectInfo; generation: string | number | undefined } | undefined> {
    const file = this.#bucket.file(this.#name(key));
    try {
      await file.getMetadata();
    } catch (error) {
      if (status(error) === 404) return undefined;
      throw error;
    }
    return { info: this.#info(key, file), generation: file.metadata.generation };
  }

  async get(key: string): Promise<StoredObject | undefined> {
    for (let attempt = 1; ; attempt++) {
      const stat = await this.#stat(key);
      if (!stat) return undefined;
      try {
        const file = this.#bucket.file(this.#name(key), { generation: stat.generation });
        const [body] = await file.download();
        return { key, body: new Uint8Array(body), metadata: stat.info.metadata };
      } catch (error) {
        // That generation was replaced or deleted meanwhile: read the new one.
        if (status(error) !== 404 || attempt === GET_ATTEMPTS) throw error;
      }
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    return (await this.#stat(key))?.info;
  }

  async list(prefix = ""): Promise<ObjectInfo[]> {
    let files: File[];
    try {
      [files] = await this.#bucket.getFiles({ prefix: `${this.#prefix}${prefix}`, autoPaginate: true });
    } catch (error) {
      throw this.#explain(error);
    }
    return files
      .map((file) => this.#info(file.name.slice(this.#prefix.length), file))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    await this.#bucket.file(this.#name(key)).delete({ ignoreNotFound: true });
  }
}
