//! Paginated lists cut short by a repeated page token. The SDK's paginators
//! stop, without an error, when a service answers the very token they sent;
//! the pages after it are never read, and the list would look complete.
//! [`PageToken`] remembers the token of the last page answered: the
//! paginator ends on a page with a token only in that case.

/// The page token of the last page a paginated call answered.
#[derive(Debug, Default)]
pub(crate) struct PageToken(Option<String>);

impl PageToken {
    /// Records the token of a page just answered (`None` or empty on the
    /// last page).
    pub(crate) fn saw(&mut self, token: Option<&str>) {
        self.0 = token.filter(|token| !token.is_empty()).map(str::to_owned);
    }

    /// Once the paginator has ended: why the list of `call` is incomplete,
    /// when its last page still named a next one.
    pub(crate) fn cut_short(&self, call: &str) -> Option<String> {
        self.0.as_ref().map(|_| {
            format!(
                "{call} answered a page token it had already been sent, so the pages after it \
                 were not read"
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::PageToken;

    #[test]
    fn only_a_last_page_that_names_a_next_one_is_cut_short() {
        let mut token = PageToken::default();
        assert_eq!(token.cut_short("rds:DescribeDBInstances"), None, "no page");
        token.saw(Some("page-2"));
        token.saw(None);
        assert_eq!(
            token.cut_short("rds:DescribeDBInstances"),
            None,
            "last page"
        );
        token.saw(Some(""));
        assert_eq!(
            token.cut_short("rds:DescribeDBInstances"),
            None,
            "empty token"
        );
        token.saw(Some("page-2"));
        assert_eq!(
            token.cut_short("rds:DescribeDBInstances").as_deref(),
            Some(
                "rds:DescribeDBInstances answered a page token it had already been sent, so the \
                 pages after it were not read"
            )
        );
    }
}
