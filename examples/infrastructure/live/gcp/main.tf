# GCP-shaped layer: each terraform_data stands for the google resource named in its input.
# Google resources carry labels, not tags.
terraform {
  required_version = ">= 1.6"
  backend "local" {}
}

variable "environment" {
  type    = string
  default = "dev"
}

variable "region" {
  type    = string
  default = "europe-west1"
}

variable "extra_labels" {
  type    = map(string)
  default = {}
}

locals {
  labels = merge({
    environment   = var.environment
    owner         = "platform"
    "cost-center" = "cc-3310"
  }, var.extra_labels)
}

resource "terraform_data" "network" {
  input = {
    resource_type = "google_compute_network"
    name          = "acme-${var.environment}-vpc"
    region        = var.region
    labels        = local.labels
  }
}

resource "terraform_data" "bucket" {
  input = {
    resource_type = "google_storage_bucket"
    name          = "acme-${var.environment}-assets"
    location      = upper(var.region)
    labels        = local.labels
  }
}

resource "terraform_data" "database" {
  input = {
    resource_type = "google_sql_database_instance"
    name          = "acme-${var.environment}-orders"
    region        = var.region
    tier          = "db-f1-micro"
    labels        = local.labels
  }
}
