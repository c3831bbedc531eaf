//! `tenet test`: the `test_*` rules of the `*_test.rego` files beside the
//! custom controls, run as `opa test` runs them.

use std::path::{Path, PathBuf};

use regorus::Value;

use crate::{
    check::{TIME_LIMIT, VALUE_EXTENSION, eval_error, library_engine},
    load::Diagnostic,
};

/// How one test rule ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestOutcome {
    /// The rule is true.
    Pass,
    /// The rule is false or undefined.
    Fail,
    /// The rule could not be evaluated; the message says why.
    Error(String),
}

/// One test rule and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestResult {
    /// The `*_test.rego` file.
    pub file: PathBuf,
    /// `data.<package>.test_<name>`.
    pub rule: String,
    /// Pass, fail or error.
    pub outcome: TestOutcome,
}

/// Runs every `test_*` rule of every `*_test.rego` file of `dirs`, each
/// file with tenet's library, the modules of the controls beside it and the
/// `*_test.json` files beside it as `data` (merged at the root, as `opa
/// test` loads data files): fixtures a test reads with
/// `with input as data.NAME`.
/// `Err` is every problem of the controls or the tests (nothing runs).
pub fn run_tests(dirs: &[PathBuf]) -> Result<Vec<TestResult>, Vec<Diagnostic>> {
    crate::load(dirs)?;
    let mut results = Vec::new();
    let mut problems = Vec::new();
    for dir in dirs {
        let files = files_in(dir, |path| path.extension().is_some_and(|e| e == "rego"))?;
        let (tests, modules): (Vec<PathBuf>, Vec<PathBuf>) = files.into_iter().partition(|path| {
            path.file_stem()
                .and_then(|s| s.to_str())
                .is_some_and(|s| s.ends_with("_test"))
        });
        if tests.is_empty() {
            continue;
        }
        let data = match fixtures(dir) {
            Ok(data) => data,
            Err(mut found) => {
                problems.append(&mut found);
                continue;
            }
        };
        for test in tests {
            match run_file(&test, &modules, &data) {
                Ok(mut found) => results.append(&mut found),
                Err(problem) => problems.push(problem),
            }
        }
    }
    if problems.is_empty() {
        Ok(results)
    } else {
        Err(problems)
    }
}

/// The files of `dir` that `keep` keeps, sorted.
fn files_in(dir: &Path, keep: impl Fn(&Path) -> bool) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|err| {
            vec![Diagnostic::new(
                dir,
                format!("cannot read the directory: {err}"),
            )]
        })?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| keep(path))
        .collect();
    files.sort();
    Ok(files)
}

/// The `*_test.json` files of `dir`, each a JSON object, with their paths.
fn fixtures(dir: &Path) -> Result<Vec<(PathBuf, Value)>, Vec<Diagnostic>> {
    let files = files_in(dir, |path| {
        path.file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| name.ends_with("_test.json"))
    })?;
    let mut data = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        let parsed = std::fs::read_to_string(&file)
            .map_err(|err| Diagnostic::new(&file, format!("cannot read it: {err}")))
            .and_then(|text| {
                serde_json::from_str::<serde_json::Value>(&text).map_err(|err| Diagnostic {
                    path: file.clone(),
                    place: Some((err.line(), err.column())),
                    message: format!("not valid JSON: {err}"),
                })
            })
            .and_then(|json| {
                if json.is_object() {
                    serde_json::from_value::<Value>(json)
                        .map_err(|err| Diagnostic::new(&file, err.to_string()))
                } else {
                    Err(Diagnostic::new(
                        &file,
                        "test data must be a JSON object: its keys become `data.KEY`",
                    ))
                }
            });
        match parsed {
            Ok(value) => data.push((file, value)),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(data)
    } else {
        Err(problems)
    }
}

/// The tests of one file, with `data` merged into the engine's data.
fn run_file(
    test: &Path,
    modules: &[PathBuf],
    data: &[(PathBuf, Value)],
) -> Result<Vec<TestResult>, Diagnostic> {
    let mut engine = library_engine(TIME_LIMIT).map_err(|err| Diagnostic::new(test, err))?;
    for module in modules {
        let text = std::fs::read_to_string(module)
            .map_err(|err| Diagnostic::new(module, format!("cannot read it: {err}")))?;
        engine
            .add_policy(module.display().to_string(), text)
            .map_err(|err| crate::load::rego_diagnostic(module, &err.to_string()))?;
    }
    for (file, value) in data {
        engine.add_data(value.clone()).map_err(|err| {
            Diagnostic::new(file, format!("conflicts with other test data: {err}"))
        })?;
    }
    let text = std::fs::read_to_string(test)
        .map_err(|err| Diagnostic::new(test, format!("cannot read it: {err}")))?;
    let package = engine
        .add_policy(test.display().to_string(), text.clone())
        .map_err(|err| crate::load::rego_diagnostic(test, &err.to_string()))?;
    engine
        .add_extension(
            VALUE_EXTENSION.to_owned(),
            1,
            Box::new(|args: Vec<Value>| {
                Ok(args
                    .first()
                    .map_or(Value::Undefined, |fact| fact["known"].clone()))
            }),
        )
        .map_err(|err| Diagnostic::new(test, err.to_string()))?;
    let mut names: Vec<&str> = text
        .lines()
        .filter_map(|line| {
            let name: &str = line
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .next()?;
            name.starts_with("test_").then_some(name)
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        return Err(Diagnostic::new(test, "a test file without a `test_*` rule"));
    }
    Ok(names
        .into_iter()
        .map(|name| {
            let rule = format!("{package}.{name}");
            let outcome = match engine.eval_rule(rule.clone()) {
                Ok(Value::Bool(true)) => TestOutcome::Pass,
                Ok(_) => TestOutcome::Fail,
                Err(err) => TestOutcome::Error(eval_error(&err, TIME_LIMIT)),
            };
            TestResult {
                file: test.to_owned(),
                rule,
                outcome,
            }
        })
        .collect())
}
