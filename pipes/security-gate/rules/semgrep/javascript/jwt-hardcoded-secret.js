const jwt = require("jsonwebtoken");

function issue(user) {
  // ruleid: js-jwt-hardcoded-secret
  return jwt.sign({ sub: user }, "s3cr3t-signing-key", { algorithm: "HS256" });
}

const SIGNING_KEY = "another-key-in-the-code";

function check(token) {
  // ruleid: js-jwt-hardcoded-secret
  return jwt.verify(token, SIGNING_KEY);
}

function issueSafely(user) {
  // ok: js-jwt-hardcoded-secret
  return jwt.sign({ sub: user }, process.env.JWT_SIGNING_KEY, { algorithm: "HS256" });
}

module.exports = { issue, check, issueSafely };
