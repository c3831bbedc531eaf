//! Fuzzes the policy file: any text must be accepted or rejected with
//! diagnostics that render, never panic, whatever its patterns and lists.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(errors) = tenet_engine::Policy::parse(text, "tenet.toml") {
        let _ = errors.render();
    }
});
