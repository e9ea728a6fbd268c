package handlers

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
)

func Archive(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ruleid: go-exec-shell-command-injection
	exec.Command("sh", "-c", "tar czf /tmp/"+name+".tgz /srv/data").Run()
	// ruleid: go-exec-shell-command-injection
	exec.CommandContext(context.Background(), "/bin/bash", "-c", fmt.Sprintf("ping -c 1 %s", name)).Run()
	// ok: go-exec-shell-command-injection
	exec.Command("tar", "czf", "/tmp/"+name+".tgz", "/srv/data").Run()
	// ok: go-exec-shell-command-injection
	exec.Command("sh", "-c", "ls -l /srv/data").Run()
}
