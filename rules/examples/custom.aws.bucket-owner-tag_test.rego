# Tests of custom.aws.bucket-owner-tag: `tenet test rules/examples`.
package acme.aws.bucket_owner_test

import data.acme.aws.bucket_owner

buckets(tags) := {"aws": [{"s3_buckets": {"known": [{"name": "logs", "tags": tags}]}}]}

test_a_bucket_with_its_owner_passes if {
	found := bucket_owner.findings with input as buckets({"known": {"owner": "data-eng"}})
		with data.params.tag as "owner"
	found == {{"resource": "arn:aws:s3:::logs", "status": "pass", "message": "owned by data-eng"}}
}

test_a_bucket_without_the_tag_fails if {
	found := bucket_owner.findings with input as buckets({"known": {"team": "data-eng"}})
		with data.params.tag as "owner"
	found == {{"resource": "arn:aws:s3:::logs", "status": "fail", "message": "no `owner` tag"}}
}

# Unread tags give no finding here; in a scan, tenet makes the bucket `error`.
test_a_bucket_whose_tags_were_not_read_gets_no_verdict_from_the_rule if {
	found := bucket_owner.findings with input as buckets({"unavailable": {"reason": "403", "at": "/aws/0/s3_buckets/known/0/tags"}})
		with data.params.tag as "owner"
	count(found) == 0
}
