//! The pages of a GraphQL connection after its first. A connection with more
//! items than one request reads (a repository's branches, rulesets or deploy
//! keys, an organization's rulesets) is read to the end with follow-up
//! queries of its own, never cut short.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{client::Client, graphql::Connection, org::errors_under, permissions::Needs};

/// Most follow-up pages of one connection before it counts as a broken
/// pagination loop.
const MAX_PAGES: usize = 1_000;

/// A connection's first page, and the cursor of the next one if any.
pub(crate) struct FirstPage<T> {
    nodes: Vec<T>,
    next: Option<String>,
}

impl<T> FirstPage<T> {
    /// The nodes of `connection` (`what` names them in errors). A null node
    /// or a next page without a cursor is an error: the list could not be
    /// completed.
    pub fn of(connection: Connection<T>, what: &str) -> Result<Self, String> {
        Ok(FirstPage {
            next: next_cursor(&connection, what)?,
            nodes: nodes_of(connection, what)?,
        })
    }

    /// No items and nothing more to read.
    pub fn empty() -> Self {
        FirstPage {
            nodes: Vec::new(),
            next: None,
        }
    }
}

/// Where the follow-up pages of a connection come from.
pub(crate) struct FollowUp<'a> {
    /// The operation's name and what it reads, for errors and logs.
    pub name: String,
    /// The operation: takes the variables below and `$after`.
    pub query: String,
    /// Its variables other than `after`.
    pub variables: Value,
    /// The path of the connection in the answer's `data`.
    pub path: &'a [&'a str],
    /// What a failure needs, for its reason.
    pub needs: Needs,
}

/// Every node: the first page's, then each following page's, read with
/// `follow_up` until the last page.
pub(crate) async fn complete<T: DeserializeOwned>(
    client: &Client<'_>,
    first: FirstPage<T>,
    follow_up: FollowUp<'_>,
) -> Result<Vec<T>, String> {
    let FirstPage {
        mut nodes,
        mut next,
    } = first;
    let FollowUp {
        name,
        query,
        mut variables,
        path,
        needs,
    } = follow_up;
    let what = path.last().copied().unwrap_or("items");
    for page in 2..MAX_PAGES + 2 {
        let Some(cursor) = next else {
            return Ok(nodes);
        };
        variables["after"] = Value::String(cursor);
        let label = format!("GraphQL {name} (page {page})");
        let reply = client
            .graphql(&format!("{name} (page {page})"), &query, variables.clone())
            .await
            .map_err(|err| err.reason(needs))?;
        if let Some(message) = errors_under(&reply.errors, path.get(..1).unwrap_or_default()) {
            return Err(format!("{label}: {message}; needs {needs}"));
        }
        let mut data = Value::Object(reply.data);
        let connection = path
            .iter()
            .try_fold(&mut data, |value, key| value.get_mut(*key))
            .map(Value::take)
            .filter(|value| !value.is_null())
            .ok_or_else(|| format!("{label}: {what} not returned; needs {needs}"))?;
        let connection: Connection<T> =
            serde_json::from_value(connection).map_err(|err| format!("{label}: {err}"))?;
        next = next_cursor(&connection, what).map_err(|err| format!("{label}: {err}"))?;
        nodes.extend(nodes_of(connection, what).map_err(|err| format!("{label}: {err}"))?);
    }
    Err(format!(
        "GraphQL {name}: more than {MAX_PAGES} pages of {what}"
    ))
}

fn next_cursor<T>(connection: &Connection<T>, what: &str) -> Result<Option<String>, String> {
    match (
        connection.page_info.has_next_page,
        &connection.page_info.end_cursor,
    ) {
        (false, _) => Ok(None),
        (true, Some(cursor)) => Ok(Some(cursor.clone())),
        (true, None) => Err(format!(
            "a next page of {what} is announced without a cursor"
        )),
    }
}

fn nodes_of<T>(connection: Connection<T>, what: &str) -> Result<Vec<T>, String> {
    connection
        .nodes
        .into_iter()
        .map(|node| node.ok_or_else(|| format!("one of the {what} was not returned")))
        .collect()
}
