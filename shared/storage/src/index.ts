export {
  AzureBlobStore,
  type AzureContainerLocation,
  azureContainerClientFromEnv,
  decodeAzureMetadata,
  encodeAzureMetadata,
} from "./azblob.ts";
export { GcsStore, gcsBucketFromEnv } from "./gcs.ts";
export { LocalStore, type LocalStoreOptions, type PutStep } from "./local.ts";
export { type OpenStoreOptions, openStore } from "./open.ts";
export { awsClientConfigFromEnv, S3Store, s3ClientFromEnv } from "./s3.ts";
export { checkKey, type ObjectInfo, type ObjectStore, type StoredObject } from "./types.ts";
