//! Evaluating a custom control's module against a snapshot, failing closed.

use std::{
    collections::{BTreeMap, HashMap},
    num::NonZeroU32,
    path::Path,
    sync::{Arc, Mutex},
    time::Duration,
};

use regorus::{Engine, Value, utils::limits::ExecutionTimerConfig};
use serde_json::Value as Json;
use tenet_rules::{CheckStatus, Context, CustomCheck, Outcome, ParamValue, Resource};

use crate::{
    LIBRARY,
    input::input,
    kinds::{self, Entry},
};

/// The longest a control's rule may run in one evaluation.
pub(crate) const TIME_LIMIT: Duration = Duration::from_secs(10);

/// The name of the extension behind `tenet.value`.
pub(crate) const VALUE_EXTENSION: &str = "__tenet_value";

/// A custom control's compiled module and what it is about.
#[derive(Clone)]
pub(crate) struct RegoCheck {
    /// The library and the module, parsed.
    engine: Engine,
    /// `data.<package>.findings`.
    rule: String,
    /// One of [`kinds::KINDS`].
    kind: String,
    /// The longest one evaluation may run: [`TIME_LIMIT`].
    limit: Duration,
    /// The module as written, for the policy's digest.
    source: String,
}

impl std::fmt::Debug for RegoCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegoCheck")
            .field("rule", &self.rule)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// The converted snapshot every custom control of a run reads.
struct SharedInput(Result<Value, String>);

/// An unavailable fact a rule read through `tenet.value`: its pointer and
/// the reason.
type Read = (String, String);

/// The unavailable facts an evaluation read, as the extension logs them.
type Reads = Arc<Mutex<Vec<Read>>>;

impl RegoCheck {
    /// Parses `module` (read from `path`) with tenet's library. `Err` is
    /// regorus's message: file:line:col, the snippet, what is wrong.
    pub(crate) fn new(path: &Path, module: &str, kind: &str) -> Result<RegoCheck, String> {
        let mut engine = library_engine(TIME_LIMIT)?;
        let package = engine
            .add_policy(path.display().to_string(), module.to_owned())
            .map_err(|err| err.to_string())?;
        if package == "data.tenet" {
            return Err("the package `tenet` is tenet's library: name the module's package after the control".to_owned());
        }
        Ok(RegoCheck {
            engine,
            rule: format!("{package}.findings"),
            kind: kind.to_owned(),
            limit: TIME_LIMIT,
            source: module.to_owned(),
        })
    }

    /// The rule's findings as JSON objects, and the unavailable facts it
    /// read; `Err` says why the rule gave nothing usable.
    fn findings(&self, input: &Value, params: Json) -> Result<(Vec<Json>, Vec<Read>), String> {
        let reads: Reads = Arc::default();
        let mut engine = self.engine.clone();
        engine.set_execution_timer_config(timer(self.limit));
        let log = Arc::clone(&reads);
        engine
            .add_extension(
                VALUE_EXTENSION.to_owned(),
                1,
                Box::new(move |args: Vec<Value>| {
                    let Some(fact) = args.first() else {
                        return Ok(Value::Undefined);
                    };
                    let known = &fact["known"];
                    if *known != Value::Undefined {
                        return Ok(known.clone());
                    }
                    let unavailable = &fact["unavailable"];
                    let text = |value: &Value| value.as_string().map(|s| s.to_string()).ok();
                    if let (Some(at), Some(reason)) =
                        (text(&unavailable["at"]), text(&unavailable["reason"]))
                        && let Ok(mut reads) = log.lock()
                    {
                        reads.push((at, reason));
                    }
                    Ok(Value::Undefined)
                }),
            )
            .map_err(|err| err.to_string())?;
        engine.set_input(input.clone());
        let data: Value = serde_json::from_value(serde_json::json!({ "params": params }))
            .map_err(|err| err.to_string())?;
        engine.add_data(data).map_err(|err| err.to_string())?;
        let value = engine
            .eval_rule(self.rule.clone())
            .map_err(|err| eval_error(&err, self.limit))?;
        let json = match value {
            Value::Undefined => Json::Array(Vec::new()),
            value => serde_json::to_value(&value).map_err(|err| err.to_string())?,
        };
        let Json::Array(findings) = json else {
            return Err(format!(
                "`{}` is not a set of findings",
                self.rule.trim_start_matches("data.")
            ));
        };
        let reads = reads.lock().map(|r| r.clone()).unwrap_or_default();
        Ok((findings, reads))
    }
}

impl CustomCheck for RegoCheck {
    fn check(&self, context: &Context<'_>) -> Vec<Outcome> {
        let listing = kinds::list(&self.kind, context.snapshot);
        let mut outcomes = listing.unlisted;
        let Some(SharedInput(input)) = context
            .memo
            .get_or_init(|| SharedInput(input(context.snapshot)))
        else {
            return every_error(
                &listing.entries,
                "the snapshot could not be shared with the rule",
            );
        };
        let input = match input {
            Ok(input) => input,
            Err(err) => {
                outcomes.extend(every_error(
                    &listing.entries,
                    &format!("the snapshot could not be read by the rule: {err}"),
                ));
                return outcomes;
            }
        };
        let (findings, reads) = match self.findings(input, params_json(context)) {
            Ok(found) => found,
            Err(err) => {
                outcomes.extend(every_error(
                    &listing.entries,
                    &format!("the rule failed: {err}"),
                ));
                return outcomes;
            }
        };
        outcomes.extend(verdicts(&self.kind, &listing.entries, findings, &reads));
        outcomes
    }

    fn source(&self) -> &str {
        &self.source
    }
}

/// An engine with tenet's library whose evaluations stop after `limit`: the
/// start of every control's and every test file's engine.
pub(crate) fn library_engine(limit: Duration) -> Result<Engine, String> {
    let mut engine = Engine::new();
    engine
        .add_policy("tenet.rego".to_owned(), LIBRARY.to_owned())
        .map_err(|err| format!("tenet's library does not parse: {err}"))?;
    engine.set_execution_timer_config(timer(limit));
    Ok(engine)
}

/// regorus's timer for `limit`, checked at every step.
fn timer(limit: Duration) -> ExecutionTimerConfig {
    ExecutionTimerConfig {
        limit,
        check_interval: NonZeroU32::MIN,
    }
}

/// The first line of a regorus error, or the time limit it ran into.
pub(crate) fn eval_error(err: &impl std::fmt::Display, limit: Duration) -> String {
    let message = err.to_string();
    if message.contains("exceeded time limit") {
        return format!(
            "it ran longer than its time limit of {} ms",
            limit.as_millis()
        );
    }
    let first = first_line(&message);
    if first == "not an object" {
        // regorus 0.14 fails a whole set rule whose head (`contains f(x)`)
        // is undefined for one element, where OPA leaves the element out.
        return format!("{first} ({UNDEFINED_HEAD_HINT})");
    }
    first
}

/// How to write around regorus's failure on an undefined set-rule head.
const UNDEFINED_HEAD_HINT: &str = "regorus fails a `contains` rule whose head is undefined for one element, such as `findings contains verdict(x) if { … }` when verdict(x) is undefined: bind it in the body instead, `findings contains f if { …; f := verdict(x) }`";

/// The control's parameters as JSON, for `data.params`.
fn params_json(context: &Context<'_>) -> Json {
    Json::Object(
        context
            .params
            .values()
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    ParamValue::Integer(n) => Json::from(*n),
                    ParamValue::Boolean(b) => Json::from(*b),
                    ParamValue::String(s) => Json::from(s.clone()),
                    ParamValue::StringList(items) => Json::from(items.clone()),
                };
                (name.clone(), value)
            })
            .collect(),
    )
}

/// One outcome per resource: the worst finding the rule gave it, `error`
/// when it read an unavailable fact of it, `error` when it gave none.
fn verdicts(kind: &str, entries: &[Entry], findings: Vec<Json>, reads: &[Read]) -> Vec<Outcome> {
    let index: HashMap<&str, &Resource> = entries
        .iter()
        .map(|entry| (entry.resource.id.as_str(), &entry.resource))
        .collect();
    let mut by_resource: BTreeMap<String, Outcome> = BTreeMap::new();
    for finding in findings {
        let outcome = match finding_outcome(kind, &index, &finding) {
            Ok(outcome) => outcome,
            Err(problem) => {
                return every_error(
                    entries,
                    &format!("the rule gave a malformed finding: {problem}"),
                );
            }
        };
        match by_resource.get(&outcome.resource.id) {
            Some(kept) if rank(kept.status) >= rank(outcome.status) => {}
            _ => {
                by_resource.insert(outcome.resource.id.clone(), outcome);
            }
        }
    }
    for (at, reason) in reads {
        let owners: Vec<&Entry> = entries
            .iter()
            .filter(|entry| at == &entry.pointer || at.starts_with(&format!("{}/", entry.pointer)))
            .collect();
        // A fact of no single resource (an organization's setting read for
        // its repositories): every resource below the same organization or
        // account.
        let owners = if owners.is_empty() {
            let root: String = at.split('/').take(3).collect::<Vec<_>>().join("/");
            entries
                .iter()
                .filter(|entry| {
                    entry.pointer.starts_with(&format!("{root}/")) || entry.pointer == root
                })
                .collect()
        } else {
            owners
        };
        for entry in owners {
            let outcome = Outcome::unavailable(entry.resource.clone(), at, reason);
            by_resource.insert(entry.resource.id.clone(), outcome);
        }
    }
    for entry in entries {
        by_resource
            .entry(entry.resource.id.clone())
            .or_insert_with(|| {
                Outcome::unavailable(
                    entry.resource.clone(),
                    "the verdict",
                    "the rule gave no verdict for this resource",
                )
            });
    }
    by_resource.into_values().collect()
}

/// A finding object as an outcome; `Err` names what is wrong with it.
fn finding_outcome(
    kind: &str,
    index: &HashMap<&str, &Resource>,
    finding: &Json,
) -> Result<Outcome, String> {
    let text = |key: &str| -> Result<&str, String> {
        finding
            .get(key)
            .and_then(Json::as_str)
            .ok_or_else(|| format!("{finding} has no `{key}` text"))
    };
    let id = text("resource")?;
    let message = text("message")?;
    let status = match text("status")? {
        "pass" => CheckStatus::Pass,
        "fail" => CheckStatus::Fail,
        "error" => CheckStatus::Error,
        other => {
            return Err(format!(
                "{finding} has the status `{other}`: it must be \"pass\", \"fail\" or \"error\""
            ));
        }
    };
    let resource = index
        .get(id)
        .map_or_else(|| Resource::new(id, kind), |resource| (*resource).clone());
    let mut outcome = match status {
        CheckStatus::Pass => Outcome::pass(resource, message),
        CheckStatus::Fail => Outcome::fail(resource, message),
        _ => Outcome::unavailable(resource, "it", message),
    };
    if status == CheckStatus::Error {
        outcome.message = message.to_owned();
        outcome.evidence.clear();
    }
    match finding.get("evidence") {
        None => {}
        Some(Json::Object(evidence)) => {
            for (key, value) in evidence {
                outcome.evidence.insert(key.clone(), value.clone());
            }
        }
        Some(other) => return Err(format!("its evidence {other} is not an object")),
    }
    Ok(outcome)
}

/// How bad a status is, for keeping the worst finding of a resource.
fn rank(status: CheckStatus) -> u8 {
    match status {
        CheckStatus::Skipped => 0,
        CheckStatus::Pass => 1,
        CheckStatus::Fail => 2,
        CheckStatus::Error => 3,
    }
}

/// An `error` outcome for every resource, saying `why`.
fn every_error(entries: &[Entry], why: &str) -> Vec<Outcome> {
    entries
        .iter()
        .map(|entry| Outcome::unavailable(entry.resource.clone(), "the verdict", why))
        .collect()
}

/// The first line of a message (regorus's errors carry a snippet below).
fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule that would run for minutes is stopped at its time limit and
    /// reported as a failed rule (which `check` turns into `error` for every
    /// resource), never a pass.
    #[test]
    fn a_rule_that_outlasts_its_time_limit_is_an_error() {
        let module = r#"package slow
import rego.v1
findings contains {"resource": "x", "status": "pass", "message": "done"} if {
    count([1 | some i in numbers.range(1, 100000); some j in numbers.range(1, 100000)]) > 0
}
"#;
        let mut check =
            RegoCheck::new(Path::new("slow.rego"), module, "AWS account").expect("parses");
        check.limit = Duration::from_millis(50);
        let input: Value = serde_json::from_value(serde_json::json!({})).expect("input");
        let result = check.findings(&input, serde_json::json!({}));
        assert_eq!(
            result.map(|(findings, _)| findings),
            Err("it ran longer than its time limit of 50 ms".to_owned())
        );
    }
}
