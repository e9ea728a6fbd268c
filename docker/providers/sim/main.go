// Command terraform-provider-sim is a SIMULATION provider for offline tests of the pipes: it is not
// a cloud provider and talks to no cloud. One source, four binaries (the family is stamped in at
// link time, see build.sh):
//
//	aws      pipes.local/sim/aws      aws_s3_bucket, aws_instance, aws_security_group, aws_db_instance
//	azurerm  pipes.local/sim/azurerm  azurerm_resource_group, azurerm_storage_account, azurerm_linux_virtual_machine
//	google   pipes.local/sim/google   google_storage_bucket, google_compute_instance, google_compute_network
//	local    pipes.local/sim/local    local_file
//
// The cloud-shaped resources keep their attributes as JSON files under the provider's `data_dir`
// (default `.sim-cloud` in the working directory, or $SIM_CLOUD_DIR), one file per resource: Read
// returns what the file holds, so editing or deleting a file is a change made "outside Terraform"
// (drift). local_file writes a real file (its `filename`, relative to the working directory) and
// reads it back, as hashicorp/local does. Resource types, attribute names (tags, labels, location,
// region) and sensitive attributes follow the real providers closely enough for plan JSON to look
// like theirs; the behaviour of the real APIs is not simulated.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
)

// family is set with -ldflags "-X main.familyName=aws".
var familyName = "aws"

// version is set with -ldflags "-X main.version=0.1.0".
var version = "0.0.0-dev"

func main() {
	debug := flag.Bool("debug", false, "run with support for debuggers")
	flag.Parse()
	families := familiesByName()
	f, ok := families[familyName]
	if !ok {
		log.Fatalf("unknown provider family %q", familyName)
	}
	err := providerserver.Serve(context.Background(), newProvider(f, version), providerserver.ServeOpts{
		Address: "pipes.local/sim/" + f.name,
		Debug:   *debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
