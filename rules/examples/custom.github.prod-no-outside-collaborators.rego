# Repositories whose names match the `repositories` globs have no outside
# collaborators; the others pass.
package acme.github.prod_collaborators

import data.tenet

production(name) if {
	some pattern in data.params.repositories
	glob.match(pattern, [], name)
}

# One finding per repository, from one pass over them. The verdict is bound
# in the body: a repository whose facts were not read has none, and the
# others still get theirs.
findings contains finding if {
	some org in input.github
	some repo in tenet.value(org.repositories)
	finding := verdict(org.login, repo)
}

verdict(org, repo) := finding if {
	not production(repo.name)
	finding := {"resource": tenet.github_repo(org, repo.name), "status": "pass", "message": "not a production repository"}
} else := finding if {
	outside := sort([c.login | some c in tenet.value(repo.outside_collaborators)])
	count(outside) == 0
	finding := {"resource": tenet.github_repo(org, repo.name), "status": "pass", "message": "no outside collaborator"}
} else := finding if {
	outside := sort([c.login | some c in tenet.value(repo.outside_collaborators)])
	finding := {
		"resource": tenet.github_repo(org, repo.name),
		"status": "fail",
		"message": sprintf("outside collaborators: %s", [concat(", ", outside)]),
		"evidence": {"outside_collaborators": outside},
	}
}
