# Azure-shaped layer: each terraform_data stands for the azurerm resource named in its input.
terraform {
  required_version = ">= 1.6"
  backend "local" {}
}

variable "environment" {
  type    = string
  default = "dev"
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "extra_tags" {
  type    = map(string)
  default = {}
}

locals {
  tags = merge({
    environment   = var.environment
    owner         = "platform"
    "cost-center" = "cc-2077"
  }, var.extra_tags)
}

resource "terraform_data" "resource_group" {
  input = {
    resource_type = "azurerm_resource_group"
    name          = "acme-${var.environment}-apps"
    location      = var.location
    tags          = local.tags
  }
}

resource "terraform_data" "storage" {
  input = {
    resource_type  = "azurerm_storage_account"
    name           = "acme-${var.environment}-blobs"
    location       = var.location
    resource_group = terraform_data.resource_group.output.name
    tags           = local.tags
  }
}

resource "terraform_data" "cluster" {
  input = {
    resource_type  = "azurerm_kubernetes_cluster"
    name           = "acme-${var.environment}-aks"
    location       = var.location
    resource_group = terraform_data.resource_group.output.name
    node_count     = 2
    tags           = local.tags
  }
}
