# Tests of custom.aws.break-glass-console-users: `tenet test rules/examples`.
package acme.aws.break_glass_test

import data.acme.aws.break_glass

account(users) := {"aws": [{"account_id": "111122223333", "users": {"known": users}}]}

user(path, name, console) := {
	"name": name,
	"arn": sprintf("arn:aws:iam::111122223333:user%s%s", [path, name]),
	"console_access": {"known": console},
}

test_a_console_user_outside_the_path_fails if {
	found := break_glass.findings with input as account([user("/", "alice", true)])
		with data.params.path as "/break-glass/"
	some finding in found
	finding.status == "fail"
	finding.evidence.path == "/"
}

test_a_break_glass_console_user_passes if {
	found := break_glass.findings with input as account([user("/break-glass/", "root-1", true)])
		with data.params.path as "/break-glass/"
	[f.status | some f in found] == ["pass"]
}

test_a_user_without_console_access_passes if {
	found := break_glass.findings with input as account([user("/", "etl", false)])
		with data.params.path as "/break-glass/"
	[f.status | some f in found] == ["pass"]
}

# A fixture of custom.aws.break-glass-console-users_test.json, loaded as data.
test_an_account_fixture_gives_each_read_user_a_verdict if {
	found := break_glass.findings with input as data.break_glass_fixtures.mixed_account
		with data.params.path as "/break-glass/"
	verdicts := {[split(f.resource, "/")[count(split(f.resource, "/")) - 1], f.status] | some f in found}
	verdicts == {["root-1", "pass"], ["alice", "fail"], ["etl", "pass"]}
}
