# Repositories whose names match the `repositories` globs have no outside
# collaborators; the others pass.
package acme.github.prod_collaborators

import data.tenet

production(name) if {
	some pattern in data.params.repositories
	glob.match(pattern, [], name)
}

findings contains finding if {
	some org in input.github
	some repo in tenet.value(org.repositories)
	not production(repo.name)
	finding := {
		"resource": tenet.github_repo(org.login, repo.name),
		"status": "pass",
		"message": "not a production repository",
	}
}

findings contains finding if {
	some org in input.github
	some repo in tenet.value(org.repositories)
	production(repo.name)
	outside := [c.login | some c in tenet.value(repo.outside_collaborators)]
	count(outside) == 0
	finding := {
		"resource": tenet.github_repo(org.login, repo.name),
		"status": "pass",
		"message": "no outside collaborator",
	}
}

findings contains finding if {
	some org in input.github
	some repo in tenet.value(org.repositories)
	production(repo.name)
	outside := sort([c.login | some c in tenet.value(repo.outside_collaborators)])
	count(outside) > 0
	finding := {
		"resource": tenet.github_repo(org.login, repo.name),
		"status": "fail",
		"message": sprintf("outside collaborators: %s", [concat(", ", outside)]),
		"evidence": {"outside_collaborators": outside},
	}
}
