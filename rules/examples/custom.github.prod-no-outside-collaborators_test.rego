# Tests of custom.github.prod-no-outside-collaborators: `tenet test rules/examples`.
package acme.github.prod_collaborators_test

import data.acme.github.prod_collaborators

org(repos) := {"github": [{"login": "acme", "repositories": {"known": repos}}]}

repo(name, collaborators) := {"name": name, "outside_collaborators": {"known": collaborators}}

test_a_production_repository_with_an_outside_collaborator_fails if {
	found := prod_collaborators.findings with input as org([repo("prod-api", [{"login": "carol", "permission": "write"}])])
		with data.params.repositories as ["prod-*"]
	found == {{
		"resource": "github:acme/prod-api",
		"status": "fail",
		"message": "outside collaborators: carol",
		"evidence": {"outside_collaborators": ["carol"]},
	}}
}

test_a_production_repository_without_one_passes if {
	found := prod_collaborators.findings with input as org([repo("prod-api", [])])
		with data.params.repositories as ["prod-*"]
	found == {{"resource": "github:acme/prod-api", "status": "pass", "message": "no outside collaborator"}}
}

test_other_repositories_pass if {
	found := prod_collaborators.findings with input as org([repo("docs", [{"login": "carol", "permission": "read"}])])
		with data.params.repositories as ["prod-*"]
	found == {{"resource": "github:acme/docs", "status": "pass", "message": "not a production repository"}}
}
