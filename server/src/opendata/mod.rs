//! The commons given back as open data: the dataset ([`dataset`]: a Frictionless Data Package
//! of CSV files, the same files as one zip, and the resources as a spreadsheet,
//! [`spreadsheet`]) and what lets others find and harvest it. Built
//! from the store; the HTTP layer, which alone makes addresses, passes them in.

pub mod dataset;
pub mod spreadsheet;

/// A CSV cell that no spreadsheet runs as a formula: one starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return goes behind a `'` (OWASP's advice). The tables say so in their
/// description.
pub fn formula_safe(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// Which resources a dataset holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    /// One network's resources only.
    pub network: Option<String>,
    /// Only the resources whose licence allows any reuse (no NC, no ND, a known licence).
    pub open_only: bool,
}

/// The addresses a dataset gives out, made by the HTTP layer.
pub struct Addresses<'a> {
    /// The server's home page.
    pub home: String,
    /// The canonical page of the resource with this id.
    pub page: &'a (dyn Fn(&str) -> String + Sync),
    /// Where a file of the dataset is downloaded, for this filter.
    pub file: &'a (dyn Fn(&str, &Filter) -> String + Sync),
}
