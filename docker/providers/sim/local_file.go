package main

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"os"
	"path/filepath"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// localFile is a `local_file` like hashicorp/local's: it writes `content` to `filename` (relative to
// the working directory) and reads the file back on refresh, so a file edited behind Terraform's back
// shows as drift and its plan replaces it.
type localFile struct{}

type localFileModel struct {
	Filename types.String `tfsdk:"filename"`
	Content  types.String `tfsdk:"content"`
	ID       types.String `tfsdk:"id"`
}

func (r *localFile) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "local_file"
}

func (r *localFile) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A local file (simulation provider pipes.local/sim/local)",
		Attributes: map[string]schema.Attribute{
			"filename": schema.StringAttribute{
				Required: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"content": schema.StringAttribute{
				Required: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"id": schema.StringAttribute{
				Computed: true, Description: "SHA-1 of the content",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func checksum(content string) string {
	sum := sha1.Sum([]byte(content))
	return hex.EncodeToString(sum[:])
}

func (r *localFile) write(model *localFileModel) error {
	name := model.Filename.ValueString()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(name, []byte(model.Content.ValueString()), 0o644); err != nil {
		return err
	}
	model.ID = types.StringValue(checksum(model.Content.ValueString()))
	return nil
}

func (r *localFile) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var model localFileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.write(&model); err != nil {
		resp.Diagnostics.AddError("writing "+model.Filename.ValueString(), err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

func (r *localFile) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var model localFileModel
	resp.Diagnostics.Append(req.State.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	body, err := os.ReadFile(model.Filename.ValueString())
	if os.IsNotExist(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("reading "+model.Filename.ValueString(), err.Error())
		return
	}
	model.Content = types.StringValue(string(body))
	model.ID = types.StringValue(checksum(string(body)))
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

func (r *localFile) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var model localFileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.write(&model); err != nil {
		resp.Diagnostics.AddError("writing "+model.Filename.ValueString(), err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

func (r *localFile) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var model localFileModel
	resp.Diagnostics.Append(req.State.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := os.Remove(model.Filename.ValueString()); err != nil && !os.IsNotExist(err) {
		resp.Diagnostics.AddError("deleting "+model.Filename.ValueString(), err.Error())
	}
}
