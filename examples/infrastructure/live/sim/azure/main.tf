# Azure-shaped layer on the SIMULATION provider pipes.local/sim/azurerm (docker/providers; talks to
# no cloud). Gaps on purpose: a storage account outside the allowed locations, TLS 1.0, public
# network access, a virtual machine without the cost-center tag.
terraform {
  required_version = ">= 1.6"
  required_providers {
    azurerm = { source = "pipes.local/sim/azurerm", version = "0.1.0" }
  }
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

provider "azurerm" {
  subscription_id = "11111111-2222-3333-4444-555555555555"
}

locals {
  tags = { environment = var.environment, owner = "apps", "cost-center" = "cc-2001" }
}

resource "azurerm_resource_group" "apps" {
  name     = "acme-${var.environment}-apps"
  location = var.location
  tags     = local.tags
}

resource "azurerm_storage_account" "logs" {
  name                          = "acme${var.environment}logs"
  resource_group_name           = azurerm_resource_group.apps.name
  location                      = "eastus"
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  min_tls_version               = "TLS1_0"
  public_network_access_enabled = true
  tags                          = local.tags
}

resource "azurerm_linux_virtual_machine" "worker" {
  name                = "acme-${var.environment}-worker"
  resource_group_name = azurerm_resource_group.apps.name
  location            = var.location
  size                = "Standard_D2s_v5"
  admin_username      = "azureuser"
  admin_password      = "sim-only-Passw0rd!"
  tags                = { environment = var.environment, owner = "apps" }
}
