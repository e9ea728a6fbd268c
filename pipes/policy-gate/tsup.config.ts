// The pipes share one bundle config.
export { default } from "../../tsup.pipe.ts";
