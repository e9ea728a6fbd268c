// The pipes' one bundle config, with a second entry: the thread that scans report layouts ahead
// (src/ingest/layouts.ts starts dist/layout-worker.js beside the bundle).
import base from "../../tsup.pipe.ts";

export default { ...base, entry: { main: "src/main.ts", "layout-worker": "src/ingest/layout-worker.ts" } };
