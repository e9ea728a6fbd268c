# AWS-shaped layer: each terraform_data stands for the AWS resource named in its input.
terraform {
  required_version = ">= 1.6"
  backend "local" {}
}

variable "environment" {
  type    = string
  default = "production"
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "engine_version" {
  description = "Changing it replaces the database, as on RDS."
  type        = string
  default     = "16.4"
}

variable "enable_cache" {
  type    = bool
  default = true
}

variable "extra_tags" {
  type    = map(string)
  default = {}
}

locals {
  tags = merge({
    environment   = var.environment
    owner         = "platform"
    "cost-center" = "cc-1042"
  }, var.extra_tags)
  # Marked sensitive: the plan JSON carries it, the pipe's reports must not.
  admin_password = sensitive(sha256("example-${var.environment}"))
}

resource "terraform_data" "vpc" {
  input = {
    resource_type = "aws_vpc"
    name          = "acme-${var.environment}-core"
    region        = var.region
    cidr_block    = "10.0.0.0/16"
    tags          = local.tags
  }
}

resource "terraform_data" "artifacts" {
  input = {
    resource_type = "aws_s3_bucket"
    name          = "acme-${var.environment}-artifacts"
    region        = var.region
    versioning    = true
    tags          = local.tags
  }
}

resource "terraform_data" "database" {
  input = {
    resource_type  = "aws_db_instance"
    name           = "acme-${var.environment}-orders"
    region         = var.region
    engine         = "postgres"
    engine_version = var.engine_version
    password       = local.admin_password
    vpc            = terraform_data.vpc.output.name
    tags           = local.tags
  }
  triggers_replace = [var.engine_version]
}

resource "terraform_data" "cache" {
  count = var.enable_cache ? 1 : 0
  input = {
    resource_type = "aws_elasticache_cluster"
    name          = "acme-${var.environment}-sessions"
    region        = var.region
    tags          = local.tags
  }
}

output "database_endpoint" {
  value = "${terraform_data.database.output.name}.${var.region}.rds.amazonaws.com"
}
