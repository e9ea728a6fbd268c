const https = require("https");

// ruleid: js-tls-verification-disabled
const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });

function insecureEverywhere() {
  // ruleid: js-tls-verification-disabled
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
}

// ok: js-tls-verification-disabled
const strictAgent = new https.Agent({ keepAlive: true, ca: process.env.INTERNAL_CA });

module.exports = { agent, insecureEverywhere, strictAgent };
