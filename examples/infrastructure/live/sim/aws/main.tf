# AWS-shaped layer on the SIMULATION provider pipes.local/sim/aws (docker/providers: stores resources
# as files under .sim-cloud/, talks to no cloud). Real resource types and tags; some gaps on purpose
# for policy-gate and cost-guard: an open security group, an instance without the owner tag, a
# public unencrypted database.
terraform {
  required_version = ">= 1.6"
  required_providers {
    aws   = { source = "pipes.local/sim/aws", version = "0.1.0" }
    local = { source = "pipes.local/sim/local", version = "0.1.0" }
  }
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

variable "instance_type" {
  type    = string
  default = "t3.medium"
}

variable "ami" {
  description = "Changing it replaces the instance, as on EC2."
  type        = string
  default     = "ami-0a1b2c3d4e5f60708"
}

variable "db_password" {
  type      = string
  sensitive = true
  default   = "sim-only-password-1"
}

provider "aws" {
  region = var.region
}

locals {
  tags = {
    environment   = var.environment
    owner         = "platform"
    "cost-center" = "cc-1042"
  }
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "acme-${var.environment}-artifacts"
  tags   = local.tags
}

resource "aws_security_group" "web" {
  name                = "acme-${var.environment}-web"
  description         = "web tier"
  ingress_cidr_blocks = ["0.0.0.0/0"]
  ingress_ports       = ["22", "443"]
  tags                = local.tags
}

resource "aws_instance" "web" {
  ami                         = var.ami
  instance_type               = var.instance_type
  vpc_security_group_ids      = [aws_security_group.web.id]
  associate_public_ip_address = true
  # Tag gap: no owner.
  tags = { environment = var.environment, "cost-center" = "cc-1042", Name = "acme-${var.environment}-web" }
}

resource "aws_db_instance" "orders" {
  identifier          = "acme-${var.environment}-orders"
  engine              = "postgres"
  engine_version      = "16.4"
  instance_class      = "db.t3.medium"
  username            = "orders"
  password            = var.db_password
  publicly_accessible = true
  storage_encrypted   = false
  tags                = local.tags
}

# A file Terraform manages: edit it behind Terraform's back to see drift (state-guard's tests).
resource "local_file" "inventory" {
  filename = "${path.module}/.sim-cloud/inventory-${var.environment}.txt"
  content  = "web ${aws_instance.web.id}\n"
}

output "web_instance_arn" {
  value = aws_instance.web.arn
}
