# tenet's library for custom controls: `import data.tenet`.
#
# A fact the connector may fail to read is an object: {"known": VALUE}, or
# {"unavailable": {"reason": REASON, "at": POINTER}} (POINTER, added by
# tenet, is the fact's place in the snapshot). Read it through value(): when the fact is unavailable, the
# resource it belongs to is reported as `error` with its reason, whatever the
# rule concludes.
package tenet

# Whether the fact was read (its value may still be false or null).
known(fact) if {
	_ = fact.known
}

# The fact's value; undefined when it was not read, and then the resource's
# finding is `error` (the extension records the read).
value(fact) := fact.known

value(fact) := __tenet_value(fact) if not known(fact)

# Why the fact was not read.
reason(fact) := fact.unavailable.reason

# Resource ids, as tenet's reports and waivers write them.
github_org(org) := sprintf("github:%s", [org])

github_repo(org, repo) := sprintf("github:%s/%s", [org, repo])

github_member(org, login) := sprintf("github:%s:member/%s", [org, login])

aws_account(account_id) := sprintf("aws:%s", [account_id])

s3_bucket(name) := sprintf("arn:aws:s3:::%s", [name])
