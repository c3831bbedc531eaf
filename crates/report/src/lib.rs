//! Renders a [`tenet_engine::Report`] in every output format.

pub mod json;
pub mod table;
