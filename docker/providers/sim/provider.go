package main

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// providerConfig is the provider block's string attributes, with data_dir resolved.
type providerConfig map[string]string

type simProvider struct {
	family  family
	version string
}

func newProvider(f family, version string) func() provider.Provider {
	return func() provider.Provider { return &simProvider{family: f, version: version} }
}

func (p *simProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = p.family.name
	resp.Version = p.version
}

func (p *simProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	attrs := map[string]pschema.Attribute{}
	for _, name := range p.family.configAttrs {
		attrs[name] = pschema.StringAttribute{Optional: true}
	}
	resp.Schema = pschema.Schema{
		Description: "Simulation provider (pipes.local/sim): stores resources as local files, talks to no cloud.",
		Attributes:  attrs,
	}
}

func (p *simProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	cfg := providerConfig{}
	var raw map[string]tftypes.Value
	if err := req.Config.Raw.As(&raw); err != nil {
		resp.Diagnostics.AddError("invalid provider configuration", err.Error())
		return
	}
	for name, value := range raw {
		if value.IsKnown() && !value.IsNull() {
			var s string
			_ = value.As(&s)
			cfg[name] = s
		}
	}
	if cfg["data_dir"] == "" {
		cfg["data_dir"] = os.Getenv("SIM_CLOUD_DIR")
	}
	if cfg["data_dir"] == "" {
		cfg["data_dir"] = ".sim-cloud"
	}
	cfg["data_dir"] = filepath.Join(cfg["data_dir"], p.family.name)
	if cfg["region"] == "" {
		cfg["region"] = "us-east-1"
	}
	if cfg["project"] == "" {
		cfg["project"] = "sim-project"
	}
	resp.ResourceData = cfg
}

func (p *simProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

func (p *simProvider) Resources(context.Context) []func() resource.Resource {
	if p.family.name == "local" {
		return []func() resource.Resource{func() resource.Resource { return &localFile{} }}
	}
	names := make([]string, 0, len(p.family.types))
	for name := range p.family.types {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]func() resource.Resource, 0, len(names))
	for _, name := range names {
		name, spec := name, p.family.types[name]
		out = append(out, func() resource.Resource { return &simResource{name: name, spec: spec} })
	}
	return out
}

// simResource is one cloud-shaped resource type, stored as JSON in data_dir/<type>/<id>.json.
type simResource struct {
	name string
	spec resourceType
	cfg  providerConfig
}

func (r *simResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = r.name
}

func (r *simResource) Configure(_ context.Context, req resource.ConfigureRequest, _ *resource.ConfigureResponse) {
	if cfg, ok := req.ProviderData.(providerConfig); ok {
		r.cfg = cfg
	}
}

func (r *simResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := map[string]schema.Attribute{}
	for name, a := range r.spec.attrs {
		optional := !a.required && !a.computed
		switch a.kind {
		case kString:
			var mods []planmodifier.String
			if a.replace {
				mods = append(mods, stringplanmodifier.RequiresReplace())
			}
			if a.computed {
				mods = append(mods, stringplanmodifier.UseStateForUnknown())
			}
			attrs[name] = schema.StringAttribute{
				Required: a.required, Optional: optional, Computed: a.computed, Sensitive: a.sensitive, PlanModifiers: mods,
			}
		case kBool:
			var mods []planmodifier.Bool
			if a.replace {
				mods = append(mods, boolplanmodifier.RequiresReplace())
			}
			attrs[name] = schema.BoolAttribute{Required: a.required, Optional: optional, Computed: a.computed, PlanModifiers: mods}
		case kStringMap:
			var mods []planmodifier.Map
			if a.replace {
				mods = append(mods, mapplanmodifier.RequiresReplace())
			}
			attrs[name] = schema.MapAttribute{
				ElementType: types.StringType, Required: a.required, Optional: optional, Computed: a.computed, PlanModifiers: mods,
			}
		case kStringList:
			var mods []planmodifier.List
			if a.replace {
				mods = append(mods, listplanmodifier.RequiresReplace())
			}
			attrs[name] = schema.ListAttribute{
				ElementType: types.StringType, Required: a.required, Optional: optional, Computed: a.computed, PlanModifiers: mods,
			}
		}
	}
	resp.Schema = schema.Schema{Description: "Simulated " + r.name + " (stored locally)", Attributes: attrs}
}

func (r *simResource) file(id string) string {
	sum := sha1.Sum([]byte(id))
	return filepath.Join(r.cfg["data_dir"], r.name, hex.EncodeToString(sum[:8])+".json")
}

func (r *simResource) save(values map[string]any) error {
	file := r.file(str(values, "id"))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	body, err := json.MarshalIndent(values, "", "  ")
	if err != nil {
		return err
	}
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, body, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}

func (r *simResource) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	values, err := fromObject(req.Plan.Raw, r.spec.attrs)
	if err != nil {
		resp.Diagnostics.AddError("reading the plan", err.Error())
		return
	}
	for key, value := range r.spec.computed(values, r.cfg) {
		values[key] = value
	}
	if err := r.save(values); err != nil {
		resp.Diagnostics.AddError("storing "+r.name, err.Error())
		return
	}
	resp.State.Raw = toObject(req.Plan.Raw.Type(), values, r.spec.attrs)
}

func (r *simResource) Read(_ context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	values, err := fromObject(req.State.Raw, r.spec.attrs)
	if err != nil {
		resp.Diagnostics.AddError("reading the state", err.Error())
		return
	}
	body, err := os.ReadFile(r.file(str(values, "id")))
	if os.IsNotExist(err) {
		resp.State.RemoveResource(context.Background())
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("reading "+r.name, err.Error())
		return
	}
	stored := map[string]any{}
	if err := json.Unmarshal(body, &stored); err != nil {
		resp.Diagnostics.AddError("reading "+r.name, fmt.Sprintf("%s: %v", r.file(str(values, "id")), err))
		return
	}
	resp.State.Raw = toObject(req.State.Raw.Type(), stored, r.spec.attrs)
}

func (r *simResource) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	values, err := fromObject(req.Plan.Raw, r.spec.attrs)
	if err != nil {
		resp.Diagnostics.AddError("reading the plan", err.Error())
		return
	}
	prior, err := fromObject(req.State.Raw, r.spec.attrs)
	if err != nil {
		resp.Diagnostics.AddError("reading the state", err.Error())
		return
	}
	for name, a := range r.spec.attrs {
		if a.computed && values[name] == nil {
			values[name] = prior[name]
		}
	}
	if err := r.save(values); err != nil {
		resp.Diagnostics.AddError("storing "+r.name, err.Error())
		return
	}
	resp.State.Raw = toObject(req.Plan.Raw.Type(), values, r.spec.attrs)
}

func (r *simResource) Delete(_ context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	values, err := fromObject(req.State.Raw, r.spec.attrs)
	if err != nil {
		resp.Diagnostics.AddError("reading the state", err.Error())
		return
	}
	if err := os.Remove(r.file(str(values, "id"))); err != nil && !os.IsNotExist(err) {
		resp.Diagnostics.AddError("deleting "+r.name, err.Error())
	}
}

// fromObject turns a known object value into Go values by the attributes' kinds; unknown and null
// attributes are left out.
func fromObject(v tftypes.Value, attrs map[string]attr) (map[string]any, error) {
	var raw map[string]tftypes.Value
	if err := v.As(&raw); err != nil {
		return nil, err
	}
	out := map[string]any{}
	for name, value := range raw {
		if !value.IsKnown() || value.IsNull() {
			continue
		}
		switch attrs[name].kind {
		case kString:
			var s string
			if err := value.As(&s); err != nil {
				return nil, err
			}
			out[name] = s
		case kBool:
			var b bool
			if err := value.As(&b); err != nil {
				return nil, err
			}
			out[name] = b
		case kStringMap:
			var m map[string]tftypes.Value
			if err := value.As(&m); err != nil {
				return nil, err
			}
			strs := map[string]any{}
			for k, item := range m {
				var s string
				_ = item.As(&s)
				strs[k] = s
			}
			out[name] = strs
		case kStringList:
			var l []tftypes.Value
			if err := value.As(&l); err != nil {
				return nil, err
			}
			strs := []any{}
			for _, item := range l {
				var s string
				_ = item.As(&s)
				strs = append(strs, s)
			}
			out[name] = strs
		}
	}
	return out, nil
}

// toObject makes a known object value of type t from Go values (as decoded from JSON or fromObject).
func toObject(t tftypes.Type, values map[string]any, attrs map[string]attr) tftypes.Value {
	fields := map[string]tftypes.Value{}
	for name, a := range attrs {
		value, present := values[name]
		switch a.kind {
		case kString:
			if s, ok := value.(string); present && ok {
				fields[name] = tftypes.NewValue(tftypes.String, s)
			} else {
				fields[name] = tftypes.NewValue(tftypes.String, nil)
			}
		case kBool:
			if b, ok := value.(bool); present && ok {
				fields[name] = tftypes.NewValue(tftypes.Bool, b)
			} else {
				fields[name] = tftypes.NewValue(tftypes.Bool, nil)
			}
		case kStringMap:
			mt := tftypes.Map{ElementType: tftypes.String}
			if m, ok := value.(map[string]any); present && ok {
				items := map[string]tftypes.Value{}
				for k, item := range m {
					s, _ := item.(string)
					items[k] = tftypes.NewValue(tftypes.String, s)
				}
				fields[name] = tftypes.NewValue(mt, items)
			} else {
				fields[name] = tftypes.NewValue(mt, nil)
			}
		case kStringList:
			lt := tftypes.List{ElementType: tftypes.String}
			if l, ok := value.([]any); present && ok {
				items := []tftypes.Value{}
				for _, item := range l {
					s, _ := item.(string)
					items = append(items, tftypes.NewValue(tftypes.String, s))
				}
				fields[name] = tftypes.NewValue(lt, items)
			} else {
				fields[name] = tftypes.NewValue(lt, nil)
			}
		}
	}
	return tftypes.NewValue(t, fields)
}
