//! Errors of the SHACL engine: a shapes graph refused at load, or a validation that could not run.

use std::fmt;

/// One reason a shapes graph was refused, with the shape it concerns when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The shape (or other node) in Turtle-like form, e.g. `<http://ex/PersonShape>` or `_:b3`.
    pub shape: Option<String>,
    /// What is wrong, for people.
    pub reason: String,
}

/// A shapes graph the engine refuses: every problem found, named with the file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapesError {
    /// The file (or other source) the shapes came from.
    pub source: String,
    /// Everything found wrong, in graph order.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ShapesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            match &p.shape {
                Some(shape) => write!(f, "{}: shape {shape}: {}", self.source, p.reason)?,
                None => write!(f, "{}: {}", self.source, p.reason)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for ShapesError {}

/// A validation that could not be completed (as opposed to data that does not conform).
#[derive(Debug, thiserror::Error)]
pub enum ValidationError {
    /// A SPARQL-based constraint failed to evaluate, or reported `?failure`.
    #[error("SPARQL constraint of shape {shape} failed: {message}")]
    Sparql {
        /// The shape whose constraint failed.
        shape: String,
        /// The engine's message.
        message: String,
    },
}
