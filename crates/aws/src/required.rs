//! Members AWS always sends that the SDK cannot tell from absent: for a
//! member the API model marks required, the SDK fills in a default (an empty
//! list, an empty structure) when an answer lacks it. [`Required`] reads the
//! raw XML answer the SDK deserialized (the body is read by then) and fails
//! the call, naming the missing element, so a lost list is never read as an
//! empty one.

use aws_sdk_iam::{
    config::{
        ConfigBag, Intercept, RuntimeComponents,
        interceptors::AfterDeserializationInterceptorContextRef,
    },
    error::BoxError,
};
use aws_smithy_xml::decode::Document;

/// An interceptor for one call: the elements its answer must contain.
#[derive(Debug)]
pub(crate) struct Required {
    /// The call, as messages name it (`iam:ListVirtualMFADevices`).
    pub call: &'static str,
    /// Child elements AWS always sends: of the `<…Result>` element in the
    /// query protocol (IAM, STS), of the root element when `root_payload`.
    pub elements: &'static [&'static str],
    /// The answer is the payload itself (REST-XML, e.g. CloudFront's
    /// `<DistributionList>`), not a `<…Response>` wrapping a result.
    pub root_payload: bool,
}

/// A successful answer without an element AWS always sends.
#[derive(Debug, thiserror::Error)]
#[error("{call} answered without {element}")]
pub(crate) struct Lost {
    call: &'static str,
    element: String,
}

impl Intercept for Required {
    fn name(&self) -> &'static str {
        "tenet::Required"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let response = context.response();
        if !response.status().is_success() {
            return Ok(());
        }
        let Some(body) = response.body().bytes() else {
            return Ok(());
        };
        let found = if self.root_payload {
            missing_in_root(body, self.elements)
        } else {
            missing(body, self.elements)
        };
        match found {
            None => Ok(()),
            Some(element) => Err(Box::new(Lost {
                call: self.call,
                element,
            })),
        }
    }
}

/// The first of `elements` that the result element (the root's first child
/// element) of `body` lacks; the result element itself when there is none.
/// A body that does not parse is left to the SDK's own error.
fn missing(body: &[u8], elements: &[&str]) -> Option<String> {
    let mut document = Document::try_from(body).ok()?;
    let mut root = document.root_element().ok()?;
    let Some(mut result) = root.next_tag() else {
        return Some("its result element".to_owned());
    };
    if result.start_el().local() == "ResponseMetadata" {
        return Some("its result element".to_owned());
    }
    first_missing(&mut result, elements)
}

/// The first of `elements` that the root element of `body` lacks. A body
/// that does not parse is left to the SDK's own error.
fn missing_in_root(body: &[u8], elements: &[&str]) -> Option<String> {
    let mut document = Document::try_from(body).ok()?;
    let mut root = document.root_element().ok()?;
    first_missing(&mut root, elements)
}

/// The first of `elements` that is no child of `parent`.
fn first_missing(
    parent: &mut aws_smithy_xml::decode::ScopedDecoder<'_, '_>,
    elements: &[&str],
) -> Option<String> {
    let mut present = Vec::new();
    while let Some(child) = parent.next_tag() {
        present.push(child.start_el().local().to_owned());
    }
    elements
        .iter()
        .find(|element| !present.iter().any(|name| name == *element))
        .map(|element| (*element).to_owned())
}

/// The [`Lost`] element behind an SDK error, if that is why it failed.
pub(crate) fn lost<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a Lost> {
    let mut source = Some(err);
    while let Some(err) = source {
        if let Some(lost) = err.downcast_ref::<Lost>() {
            return Some(lost);
        }
        source = err.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{missing, missing_in_root};

    #[test]
    fn a_payload_without_a_required_element_names_it() {
        let elements = &["IsTruncated", "Quantity"];
        let cases = [
            (
                "<DistributionList><Marker/><IsTruncated>false</IsTruncated><Quantity>0</Quantity></DistributionList>",
                None,
            ),
            (
                "<DistributionList><Quantity>0</Quantity></DistributionList>",
                Some("IsTruncated"),
            ),
            (
                "<DistributionList><Items><IsTruncated>false</IsTruncated></Items><Quantity>1</Quantity></DistributionList>",
                Some("IsTruncated"),
            ),
            ("<DistributionList/>", Some("IsTruncated")),
            ("", None),
        ];
        for (body, expected) in cases {
            assert_eq!(
                missing_in_root(body.as_bytes(), elements).as_deref(),
                expected,
                "{body}"
            );
        }
    }

    const ELEMENTS: &[&str] = &["VirtualMFADevices"];

    #[test]
    fn a_result_without_a_required_element_names_it() {
        let cases = [
            (
                "<R><ListResult><VirtualMFADevices/><IsTruncated>false</IsTruncated></ListResult></R>",
                None,
            ),
            (
                "<R xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ListResult><VirtualMFADevices><member><SerialNumber>s</SerialNumber></member></VirtualMFADevices></ListResult><ResponseMetadata/></R>",
                None,
            ),
            (
                "<R><ListResult><IsTruncated>false</IsTruncated></ListResult></R>",
                Some("VirtualMFADevices"),
            ),
            (
                "<R><ListResult><Other><VirtualMFADevices/></Other></ListResult></R>",
                Some("VirtualMFADevices"),
            ),
            ("<R><ListResult/></R>", Some("VirtualMFADevices")),
            ("<R></R>", Some("its result element")),
            (
                "<R><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></R>",
                Some("its result element"),
            ),
            ("not xml at all", None),
        ];
        for (body, expected) in cases {
            assert_eq!(
                missing(body.as_bytes(), ELEMENTS).as_deref(),
                expected,
                "{body}"
            );
        }
    }
}
