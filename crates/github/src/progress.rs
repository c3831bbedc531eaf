//! Progress reporting: a callback the CLI turns into a progress bar.

use std::sync::Mutex;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A step of a collection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProgressEvent {
    /// Collection of an organization started.
    OrgStarted {
        /// The organization.
        org: String,
    },
    /// The organization's repositories in scope are known.
    ReposFound {
        /// The organization.
        org: String,
        /// Repositories in scope.
        count: usize,
    },
    /// One repository is fully collected.
    RepoDone {
        /// The organization.
        org: String,
    },
    /// Collection of an organization ended.
    OrgDone {
        /// The organization.
        org: String,
    },
}

/// Receives progress events; called from the collecting tasks.
pub trait Progress: Send + Sync {
    /// One step happened.
    fn event(&self, event: ProgressEvent);
}

/// Ignores progress.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn event(&self, _event: ProgressEvent) {}
}

/// One progress bar per organization on standard error; draws nothing when
/// standard error is not a terminal.
#[derive(Debug)]
pub struct TerminalProgress {
    bars: MultiProgress,
    by_org: Mutex<Vec<(String, ProgressBar)>>,
}

impl TerminalProgress {
    /// Progress bars on standard error (hidden unless it is a terminal).
    pub fn stderr() -> Self {
        TerminalProgress {
            bars: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
            by_org: Mutex::new(Vec::new()),
        }
    }

    fn bar(&self, org: &str) -> Option<ProgressBar> {
        let mut by_org = self.by_org.lock().ok()?;
        if let Some((_, bar)) = by_org.iter().find(|(name, _)| name == org) {
            return Some(bar.clone());
        }
        let bar = self.bars.add(ProgressBar::new_spinner());
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} {prefix}: {msg} {wide_bar} {pos}/{len}")
        {
            bar.set_style(style);
        }
        bar.set_prefix(org.to_owned());
        by_org.push((org.to_owned(), bar.clone()));
        Some(bar)
    }
}

impl Progress for TerminalProgress {
    fn event(&self, event: ProgressEvent) {
        match event {
            ProgressEvent::OrgStarted { org } => {
                if let Some(bar) = self.bar(&org) {
                    bar.set_message("discovering repositories");
                    bar.enable_steady_tick(std::time::Duration::from_millis(120));
                }
            }
            ProgressEvent::ReposFound { org, count } => {
                if let Some(bar) = self.bar(&org) {
                    bar.set_length(count as u64);
                    bar.set_message("repositories");
                }
            }
            ProgressEvent::RepoDone { org } => {
                if let Some(bar) = self.bar(&org) {
                    bar.inc(1);
                }
            }
            ProgressEvent::OrgDone { org } => {
                if let Some(bar) = self.bar(&org) {
                    bar.finish_with_message("done");
                }
            }
        }
    }
}
