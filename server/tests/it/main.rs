//! The server's integration tests, one binary: one link of the server instead of one per file.

// First: its macros are in scope in the modules after it.
#[macro_use]
mod common;

mod api;
mod connections;
mod corpus;
mod delivery;
mod embed;
mod faults;
mod import_real_data;
mod openapi;
mod opendata;
mod replication;
mod reuse;
mod search;
mod sync;
mod testimonials;
mod untrusted;
mod wikis;
