# METADATA
# title: AWS storage is not public
# description: S3 buckets block public access and have no public ACL; RDS instances are not publicly accessible.
# related_resources:
#   - ref: https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
# custom:
#   id: AWS-NO-PUBLIC-STORAGE
#   severity: CRITICAL
#   enforcement: hard-mandatory
#   remediation: Set all four aws_s3_bucket_public_access_block flags to true, use a private ACL, and publicly_accessible = false on databases.
#   controls:
#     SOC2: [CC6.1, CC6.6]
#     PCI-DSS: ["1.3.1", "7.2.1"]
#     GDPR: [Art.25, Art.32]
#     ISO27001: [A.5.15, A.8.3]
package policy_gate.aws.public_storage

import data.policy_gate.lib

block_flags := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

public_acls := {"public-read", "public-read-write", "authenticated-read"}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"})
	off := [flag | some flag in block_flags; not lib.value(resource, [flag], false) == true]
	count(off) > 0
	msg := sprintf("%s leaves public access open: %s not true", [resource.address, concat(", ", off)])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"aws_s3_bucket_acl", "aws_s3_bucket"})
	acl := lib.value(resource, ["acl"], "private")
	acl in public_acls
	msg := sprintf("%s has the public ACL %q", [resource.address, acl])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"aws_db_instance", "aws_rds_cluster_instance"})
	lib.value(resource, ["publicly_accessible"], false) == true
	msg := sprintf("%s is publicly accessible from the Internet", [resource.address])
}
