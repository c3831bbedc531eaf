# IAM users with console access live under the break-glass path.
package acme.aws.break_glass

import data.tenet

# The user's path, from its ARN: arn:aws:iam::ACCOUNT:user/PATH/NAME.
user_path(user) := trim_suffix(concat("", ["/", split(user.arn, ":user/")[1]]), user.name)

# One finding per user, from one pass over them. The verdict is bound in the
# body: a user whose facts were not read has none, and the others still get
# theirs.
findings contains finding if {
	some account in input.aws
	some user in tenet.value(account.users)
	finding := verdict(user)
}

verdict(user) := {"resource": user.arn, "status": "pass", "message": "no console access"} if {
	tenet.value(user.console_access) == false
} else := finding if {
	tenet.value(user.console_access) == true
	path := user_path(user)
	finding := verdict_of_console_user(user, path)
}

verdict_of_console_user(user, path) := {
	"resource": user.arn,
	"status": "pass",
	"message": sprintf("a break-glass user (%s)", [path]),
} if {
	path == data.params.path
} else := {
	"resource": user.arn,
	"status": "fail",
	"message": sprintf("console access outside %s (path %s)", [data.params.path, path]),
	"evidence": {"path": path},
}
