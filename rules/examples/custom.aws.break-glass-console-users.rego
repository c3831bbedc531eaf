# IAM users with console access live under the break-glass path.
package acme.aws.break_glass

import data.tenet

# The user's path, from its ARN: arn:aws:iam::ACCOUNT:user/PATH/NAME.
user_path(user) := trim_suffix(concat("", ["/", split(user.arn, ":user/")[1]]), user.name)

findings contains finding if {
	some account in input.aws
	some user in tenet.value(account.users)
	tenet.value(user.console_access) == false
	finding := {"resource": user.arn, "status": "pass", "message": "no console access"}
}

findings contains finding if {
	some account in input.aws
	some user in tenet.value(account.users)
	tenet.value(user.console_access) == true
	user_path(user) == data.params.path
	finding := {"resource": user.arn, "status": "pass", "message": sprintf("a break-glass user (%s)", [data.params.path])}
}

findings contains finding if {
	some account in input.aws
	some user in tenet.value(account.users)
	tenet.value(user.console_access) == true
	user_path(user) != data.params.path
	finding := {
		"resource": user.arn,
		"status": "fail",
		"message": sprintf("console access outside %s (path %s)", [data.params.path, user_path(user)]),
		"evidence": {"path": user_path(user)},
	}
}
