# Every S3 bucket has a non-empty owner tag. The tags are read through
# tenet.value: a bucket whose tags could not be read is `error`, never a pass.
package acme.aws.bucket_owner

import data.tenet

findings contains finding if {
	some account in input.aws
	some bucket in tenet.value(account.s3_buckets)
	owner := object.get(tenet.value(bucket.tags), data.params.tag, "")
	owner != ""
	finding := {
		"resource": tenet.s3_bucket(bucket.name),
		"status": "pass",
		"message": sprintf("owned by %s", [owner]),
	}
}

findings contains finding if {
	some account in input.aws
	some bucket in tenet.value(account.s3_buckets)
	object.get(tenet.value(bucket.tags), data.params.tag, "") == ""
	finding := {
		"resource": tenet.s3_bucket(bucket.name),
		"status": "fail",
		"message": sprintf("no `%s` tag", [data.params.tag]),
	}
}
