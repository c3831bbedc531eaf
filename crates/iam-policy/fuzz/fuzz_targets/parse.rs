//! Fuzzes the IAM policy parser and analyzer: any JSON text must either be
//! rejected with an error or analyzed, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Ok(document) = tenet_iam_policy::PolicyDocument::parse(&value) {
        let _ = tenet_iam_policy::analyze(&document);
        let _ = document.is_public();
        let _ = document.denies_insecure_transport(&["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*"]);
    }
});
