import subprocess


def archive(request):
    name = request.args.get("name")
    # ruleid: python-subprocess-shell-true
    subprocess.run(f"tar czf /tmp/{name}.tgz /srv/data", shell=True)
    # ruleid: python-subprocess-shell-true
    subprocess.Popen("ping -c 1 " + request.args["host"], shell=True)
    # ruleid: python-subprocess-shell-true
    subprocess.check_output(args=name, shell=True)
    # ok: python-subprocess-shell-true
    subprocess.run(["tar", "czf", f"/tmp/{name}.tgz", "/srv/data"])
    # ok: python-subprocess-shell-true
    subprocess.run("ls -l /srv/data", shell=True)
    # ok: python-subprocess-shell-true
    subprocess.run(name, shell=False)
