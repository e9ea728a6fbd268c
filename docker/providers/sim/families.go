package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

type kind int

const (
	kString kind = iota
	kBool
	kStringMap
	kStringList
)

// attr is one attribute of a simulated resource type.
type attr struct {
	kind      kind
	required  bool
	computed  bool // set by the provider (id, arn, ...), kept across updates
	replace   bool // a change forces a new resource, as in the real provider
	sensitive bool
}

// resourceType is one simulated resource type: its attributes and how its computed values are made.
type resourceType struct {
	attrs map[string]attr
	// computed fills the computed attributes of a new resource from its planned values.
	computed func(values map[string]any, cfg providerConfig) map[string]any
}

type family struct {
	name string
	// configAttrs are the provider block's optional string attributes (region, project, ...).
	configAttrs []string
	types       map[string]resourceType
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func str(values map[string]any, key string) string {
	s, _ := values[key].(string)
	return s
}

const awsAccount = "000000000000"

func awsTypes() map[string]resourceType {
	tags := attr{kind: kStringMap}
	return map[string]resourceType{
		"aws_s3_bucket": {
			attrs: map[string]attr{
				"bucket":        {kind: kString, required: true, replace: true},
				"force_destroy": {kind: kBool},
				"tags":          tags,
				"region":        {kind: kString, computed: true},
				"arn":           {kind: kString, computed: true},
				"id":            {kind: kString, computed: true},
			},
			computed: func(v map[string]any, cfg providerConfig) map[string]any {
				return map[string]any{
					"id": str(v, "bucket"), "arn": "arn:aws:s3:::" + str(v, "bucket"), "region": cfg["region"],
				}
			},
		},
		"aws_instance": {
			attrs: map[string]attr{
				"ami":                         {kind: kString, required: true, replace: true},
				"instance_type":               {kind: kString, required: true},
				"subnet_id":                   {kind: kString, replace: true},
				"vpc_security_group_ids":      {kind: kStringList},
				"associate_public_ip_address": {kind: kBool, replace: true},
				"tags":                        tags,
				"id":                          {kind: kString, computed: true},
				"arn":                         {kind: kString, computed: true},
			},
			computed: func(_ map[string]any, cfg providerConfig) map[string]any {
				id := "i-" + randomHex(8)
				return map[string]any{
					"id": id, "arn": fmt.Sprintf("arn:aws:ec2:%s:%s:instance/%s", cfg["region"], awsAccount, id),
				}
			},
		},
		"aws_security_group": {
			attrs: map[string]attr{
				"name":                {kind: kString, required: true, replace: true},
				"description":         {kind: kString, replace: true},
				"vpc_id":              {kind: kString, replace: true},
				"ingress_cidr_blocks": {kind: kStringList},
				"ingress_ports":       {kind: kStringList},
				"tags":                tags,
				"id":                  {kind: kString, computed: true},
				"arn":                 {kind: kString, computed: true},
			},
			computed: func(_ map[string]any, cfg providerConfig) map[string]any {
				id := "sg-" + randomHex(8)
				return map[string]any{
					"id": id, "arn": fmt.Sprintf("arn:aws:ec2:%s:%s:security-group/%s", cfg["region"], awsAccount, id),
				}
			},
		},
		"aws_db_instance": {
			attrs: map[string]attr{
				"identifier":          {kind: kString, required: true, replace: true},
				"engine":              {kind: kString, required: true, replace: true},
				"engine_version":      {kind: kString},
				"instance_class":      {kind: kString, required: true},
				"username":            {kind: kString},
				"password":            {kind: kString, sensitive: true},
				"publicly_accessible": {kind: kBool},
				"storage_encrypted":   {kind: kBool, replace: true},
				"tags":                tags,
				"id":                  {kind: kString, computed: true},
				"arn":                 {kind: kString, computed: true},
				"endpoint":            {kind: kString, computed: true},
			},
			computed: func(v map[string]any, cfg providerConfig) map[string]any {
				return map[string]any{
					"id":       "db-" + randomHex(10),
					"arn":      fmt.Sprintf("arn:aws:rds:%s:%s:db:%s", cfg["region"], awsAccount, str(v, "identifier")),
					"endpoint": fmt.Sprintf("%s.%s.%s.rds.amazonaws.com:5432", str(v, "identifier"), randomHex(6), cfg["region"]),
				}
			},
		},
	}
}

const azureSubscription = "00000000-0000-0000-0000-000000000000"

func azureID(v map[string]any, cfg providerConfig, namespace string) string {
	sub := cfg["subscription_id"]
	if sub == "" {
		sub = azureSubscription
	}
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/%s/%s", sub, str(v, "resource_group_name"), namespace, str(v, "name"))
}

func azureTypes() map[string]resourceType {
	tags := attr{kind: kStringMap}
	return map[string]resourceType{
		"azurerm_resource_group": {
			attrs: map[string]attr{
				"name":     {kind: kString, required: true, replace: true},
				"location": {kind: kString, required: true, replace: true},
				"tags":     tags,
				"id":       {kind: kString, computed: true},
			},
			computed: func(v map[string]any, cfg providerConfig) map[string]any {
				sub := cfg["subscription_id"]
				if sub == "" {
					sub = azureSubscription
				}
				return map[string]any{"id": fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", sub, str(v, "name"))}
			},
		},
		"azurerm_storage_account": {
			attrs: map[string]attr{
				"name":                          {kind: kString, required: true, replace: true},
				"resource_group_name":           {kind: kString, required: true, replace: true},
				"location":                      {kind: kString, required: true, replace: true},
				"account_tier":                  {kind: kString, required: true, replace: true},
				"account_replication_type":      {kind: kString, required: true},
				"min_tls_version":               {kind: kString},
				"public_network_access_enabled": {kind: kBool},
				"tags":                          tags,
				"id":                            {kind: kString, computed: true},
				"primary_access_key":            {kind: kString, computed: true, sensitive: true},
			},
			computed: func(v map[string]any, cfg providerConfig) map[string]any {
				return map[string]any{
					"id": azureID(v, cfg, "Microsoft.Storage/storageAccounts"), "primary_access_key": randomHex(32),
				}
			},
		},
		"azurerm_linux_virtual_machine": {
			attrs: map[string]attr{
				"name":                {kind: kString, required: true, replace: true},
				"resource_group_name": {kind: kString, required: true, replace: true},
				"location":            {kind: kString, required: true, replace: true},
				"size":                {kind: kString, required: true},
				"admin_username":      {kind: kString, required: true, replace: true},
				"admin_password":      {kind: kString, sensitive: true, replace: true},
				"tags":                tags,
				"id":                  {kind: kString, computed: true},
			},
			computed: func(v map[string]any, cfg providerConfig) map[string]any {
				return map[string]any{"id": azureID(v, cfg, "Microsoft.Compute/virtualMachines")}
			},
		},
	}
}

func googleTypes() map[string]resourceType {
	labels := attr{kind: kStringMap}
	selfLink := func(path string) string { return "https://www.googleapis.com/" + path }
	return map[string]resourceType{
		"google_storage_bucket": {
			attrs: map[string]attr{
				"name":                        {kind: kString, required: true, replace: true},
				"location":                    {kind: kString, required: true, replace: true},
				"storage_class":               {kind: kString},
				"uniform_bucket_level_access": {kind: kBool},
				"labels":                      labels,
				"id":                          {kind: kString, computed: true},
				"self_link":                   {kind: kString, computed: true},
				"project":                     {kind: kString, computed: true},
			},
			computed: func(v map[string]any, cfg providerConfig) map[string]any {
				return map[string]any{
					"id": str(v, "name"), "self_link": selfLink("storage/v1/b/" + str(v, "name")), "project": cfg["project"],
				}
			},
		},
		"google_compute_network": {
			attrs: map[string]attr{
				"name":                    {kind: kString, required: true, replace: true},
				"auto_create_subnetworks": {kind: kBool, replace: true},
				"id":                      {kind: kString, computed: true},
				"self_link":               {kind: kString, computed: true},
			},
			computed: func(v map[string]any, cfg providerConfig) map[string]any {
				id := fmt.Sprintf("projects/%s/global/networks/%s", cfg["project"], str(v, "name"))
				return map[string]any{"id": id, "self_link": selfLink("compute/v1/" + id)}
			},
		},
		"google_compute_instance": {
			attrs: map[string]attr{
				"name":         {kind: kString, required: true, replace: true},
				"machine_type": {kind: kString, required: true},
				"zone":         {kind: kString, required: true, replace: true},
				"region":       {kind: kString, computed: true},
				"network":      {kind: kString, replace: true},
				"labels":       labels,
				"tags":         {kind: kStringList},
				"id":           {kind: kString, computed: true},
				"self_link":    {kind: kString, computed: true},
			},
			computed: func(v map[string]any, cfg providerConfig) map[string]any {
				zone := str(v, "zone")
				region := zone
				if len(zone) > 2 {
					region = zone[:len(zone)-2]
				}
				id := fmt.Sprintf("projects/%s/zones/%s/instances/%s", cfg["project"], zone, str(v, "name"))
				return map[string]any{"id": id, "self_link": selfLink("compute/v1/" + id), "region": region}
			},
		},
	}
}

func familiesByName() map[string]family {
	return map[string]family{
		"aws":     {name: "aws", configAttrs: []string{"region", "data_dir"}, types: awsTypes()},
		"azurerm": {name: "azurerm", configAttrs: []string{"subscription_id", "data_dir"}, types: azureTypes()},
		"google":  {name: "google", configAttrs: []string{"project", "region", "data_dir"}, types: googleTypes()},
		"local":   {name: "local", configAttrs: nil, types: nil},
	}
}
