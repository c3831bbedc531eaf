//! Policy-file errors, rendered as snippets pointing into the file.

use std::{fmt, ops::Range};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// One problem in a policy file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    /// Byte range of the offending text in the file.
    pub span: Range<usize>,
    /// What is wrong, e.g. "unknown field `severty`".
    pub message: String,
    /// A short label under the offending text.
    pub label: String,
    /// How to fix it, e.g. "did you mean `severity`?".
    pub help: Option<String>,
}

impl PolicyError {
    /// A problem at `span` with a label and no help.
    pub fn new(span: Range<usize>, message: impl Into<String>, label: impl Into<String>) -> Self {
        PolicyError {
            span,
            message: message.into(),
            label: label.into(),
            help: None,
        }
    }

    /// Adds a help line, if there is one.
    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// Every problem found in one policy file, with the file's text so that they
/// can be shown in context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyErrors {
    /// The file's path as the user gave it.
    pub origin: String,
    /// The file's text.
    pub source: String,
    /// The problems, in file order.
    pub errors: Vec<PolicyError>,
}

impl PolicyErrors {
    /// 1-based line and column of a byte offset in the file.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let before = &self.source[..offset.min(self.source.len())];
        let line = before.matches('\n').count() + 1;
        let column = before
            .rsplit('\n')
            .next()
            .map_or(0, |text| text.chars().count())
            + 1;
        (line, column)
    }

    /// The problems as plain-text snippets (rustc style), one after another.
    pub fn render(&self) -> String {
        let renderer = Renderer::plain();
        let mut out = String::new();
        for error in &self.errors {
            let span = clamp(&error.span, &self.source);
            let snippet = Snippet::source(self.source.as_str())
                .path(self.origin.as_str())
                .annotation(
                    AnnotationKind::Primary
                        .span(span)
                        .label(error.label.as_str()),
                );
            let mut group = Group::with_title(Level::ERROR.primary_title(error.message.as_str()))
                .element(snippet);
            if let Some(help) = &error.help {
                group = group.element(Level::HELP.message(help.as_str()));
            }
            out.push_str(&renderer.render(&[group]));
            out.push_str("\n\n");
        }
        let count = self.errors.len();
        out.push_str(&format!(
            "error: {} has {count} problem{}; nothing was evaluated\n",
            self.origin,
            if count == 1 { "" } else { "s" }
        ));
        out
    }
}

/// Keeps a span inside the text and on character boundaries, so rendering
/// never panics on a span from a parser.
fn clamp(span: &Range<usize>, source: &str) -> Range<usize> {
    let mut start = span.start.min(source.len());
    while !source.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, source.len());
    while !source.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

impl fmt::Display for PolicyErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for PolicyErrors {}
