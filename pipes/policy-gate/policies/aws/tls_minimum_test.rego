package policy_gate.aws.tls_minimum_test

import data.policy_gate.aws.tls_minimum
import data.policy_gate.fixtures

test_legacy_listener_cloudfront_and_opensearch_fail if {
	results := tls_minimum.deny with input as fixtures.plan([
		fixtures.create("aws_lb_listener", "https", {"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-2016-08"}),
		fixtures.create("aws_cloudfront_distribution", "site", {"viewer_certificate": [{"minimum_protocol_version": "TLSv1.1_2016"}]}),
		fixtures.create("aws_opensearch_domain", "search", {"domain_endpoint_options": [{"enforce_https": true}]}),
	])
	count(results) == 3
}

test_modern_policies_and_plain_http_pass if {
	count(tls_minimum.deny) == 0 with input as fixtures.plan([
		fixtures.create("aws_lb_listener", "https", {"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}),
		fixtures.create("aws_lb_listener", "redirect", {"protocol": "HTTP"}),
		fixtures.create("aws_cloudfront_distribution", "site", {"viewer_certificate": [{"minimum_protocol_version": "TLSv1.2_2021"}]}),
		fixtures.create("aws_opensearch_domain", "search", {"domain_endpoint_options": [{"tls_security_policy": "Policy-Min-TLS-1-2-2019-07"}]}),
	])
}
