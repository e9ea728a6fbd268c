# METADATA
# title: AWS storage is encrypted at rest
# description: EBS volumes, RDS instances and clusters, EFS file systems, ElastiCache replication groups and Redshift clusters set encryption at rest.
# related_resources:
#   - ref: https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html
# custom:
#   id: AWS-ENCRYPTION-AT-REST
#   severity: HIGH
#   enforcement: hard-mandatory
#   remediation: Set the resource's encryption attribute to true (encrypted, storage_encrypted, at_rest_encryption_enabled), ideally with a customer-managed KMS key.
#   controls:
#     SOC2: [CC6.1]
#     PCI-DSS: ["3.5.1"]
#     GDPR: [Art.32]
#     ISO27001: [A.8.24]
package policy_gate.aws.encryption_at_rest

import data.policy_gate.lib

# The attribute that turns encryption on, per resource type.
encryption_attribute := {
	"aws_ebs_volume": "encrypted",
	"aws_db_instance": "storage_encrypted",
	"aws_rds_cluster": "storage_encrypted",
	"aws_efs_file_system": "encrypted",
	"aws_elasticache_replication_group": "at_rest_encryption_enabled",
	"aws_redshift_cluster": "encrypted",
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources(object.keys(encryption_attribute))
	attribute := encryption_attribute[resource.type]
	not lib.value(resource, [attribute], false) == true
	msg := sprintf("%s is not encrypted at rest: set %s = true", [resource.address, attribute])
}
