# GCP-shaped layer on the SIMULATION provider pipes.local/sim/google (docker/providers; talks to no
# cloud). Gaps on purpose: a bucket without uniform access and without the owner label, an instance
# in a region outside the allowed ones.
terraform {
  required_version = ">= 1.6"
  required_providers {
    google = { source = "pipes.local/sim/google", version = "0.1.0" }
  }
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

provider "google" {
  project = "acme-${var.environment}"
  region  = var.region
}

locals {
  labels = { environment = var.environment, owner = "data", "cost-center" = "cc-3001" }
}

resource "google_compute_network" "core" {
  name                    = "acme-${var.environment}-core"
  auto_create_subnetworks = false
}

resource "google_storage_bucket" "exports" {
  name                        = "acme-${var.environment}-exports"
  location                    = "EU"
  uniform_bucket_level_access = false
  labels                      = { environment = var.environment, "cost-center" = "cc-3001" }
}

resource "google_compute_instance" "etl" {
  name         = "acme-${var.environment}-etl"
  machine_type = "e2-standard-4"
  zone         = "us-central1-a"
  network      = google_compute_network.core.self_link
  labels       = local.labels
  tags         = ["etl"]
}
