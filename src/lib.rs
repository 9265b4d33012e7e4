//! datafond: a linked-data-first triplestore and IRI resolver for public-sector open data.
//!
//! This crate holds the whole program; `src/main.rs` only parses the command line and calls in.

pub mod cli;
pub mod identifiers;
pub mod ingest;
pub mod norm;
pub mod rdf_file;
pub mod shacl;
