# METADATA
# title: AWS endpoints require TLS 1.2 or later
# description: HTTPS/TLS load balancer listeners use a TLS 1.2+ security policy; CloudFront viewers and OpenSearch domains require TLS 1.2+ (parameter min_tls_version).
# related_resources:
#   - ref: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
# custom:
#   id: AWS-TLS-MINIMUM
#   severity: HIGH
#   enforcement: hard-mandatory
#   remediation: Use ssl_policy ELBSecurityPolicy-TLS13-1-2-2021-06, minimum_protocol_version TLSv1.2_2021, tls_security_policy Policy-Min-TLS-1-2-2019-07.
#   controls:
#     SOC2: [CC6.7]
#     PCI-DSS: ["4.2.1"]
#     GDPR: [Art.32]
#     ISO27001: [A.8.24]
package policy_gate.aws.tls_minimum

import data.policy_gate.lib

# ELB security policies that still accept TLS 1.0 or 1.1.
legacy_elb_policies := {
	"ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-2015-05", "ELBSecurityPolicy-TLS-1-0-2015-04",
	"ELBSecurityPolicy-TLS-1-1-2017-01", "ELBSecurityPolicy-FS-2018-06", "ELBSecurityPolicy-FS-1-1-2019-08",
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"aws_lb_listener", "aws_alb_listener"})
	lib.value(resource, ["protocol"], "") in {"HTTPS", "TLS"}
	policy := lib.value(resource, ["ssl_policy"], "ELBSecurityPolicy-2016-08")
	policy in legacy_elb_policies
	msg := sprintf("%s accepts TLS below 1.2 (ssl_policy %s)", [resource.address, policy])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"aws_cloudfront_distribution"})
	some certificate in lib.value(resource, ["viewer_certificate"], [])
	version := object.get(certificate, "minimum_protocol_version", "TLSv1")
	lib.tls_below_minimum(version)
	msg := sprintf("%s lets viewers connect with %s", [resource.address, version])
}

deny contains {"msg": msg, "resource": resource.address} if {
	some resource in lib.resources({"aws_opensearch_domain", "aws_elasticsearch_domain"})
	some options in lib.value(resource, ["domain_endpoint_options"], [{}])
	policy := object.get(options, "tls_security_policy", "Policy-Min-TLS-1-0-2019-07")
	lib.tls_below_minimum(replace(policy, "-", "_"))
	msg := sprintf("%s accepts %s", [resource.address, policy])
}
