const cp = require("child_process");

function archive(req, res) {
  const name = req.query.name;
  // ruleid: js-child-process-command-injection
  cp.exec(`tar czf /tmp/${name}.tgz /srv/data`, () => res.end());
  // ruleid: js-child-process-command-injection
  cp.execSync("ping -c 1 " + req.query.host);
  // ruleid: js-child-process-command-injection
  cp.spawn(name, [], { shell: true });
  // ok: js-child-process-command-injection
  cp.execFile("tar", ["czf", `/tmp/${name}.tgz`, "/srv/data"]);
  // ok: js-child-process-command-injection
  cp.exec("ls -l /srv/data");
}

module.exports = { archive };
