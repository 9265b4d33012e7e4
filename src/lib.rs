//! datafond: a linked-data-first triplestore and IRI resolver for public-sector open data.
//!
//! This crate holds the whole program; `src/main.rs` only parses the command line and calls in.

pub mod cli;
pub mod commands;
pub mod config;
pub mod conneg;
pub mod csvw;
pub mod demo;
pub mod describe;
pub mod identifiers;
pub mod ingest;
pub mod norm;
pub mod publish;
pub mod push;
pub mod rdf_file;
pub mod render;
pub mod resolve;
pub mod serve;
pub mod shacl;
pub mod sparql;
pub mod store;
pub mod vocabularies;
pub mod web;
