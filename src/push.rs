//! One push, whichever door it comes through (HTTP API, CLI, vocabularies folder, demo data):
//! dataset id → norm → ingest (limits, parse, validate) → publish. Returns what happened with the
//! time of each stage, or a typed error the caller turns into an HTTP status or exit code.

use crate::identifiers::{DatasetId, IdError};
use crate::ingest::{Ingest, Limits, Rejection};
use crate::norm::{Norm, Norms};
use crate::publish::{publish, Outcome, PublishError, VersionMeta};
use crate::store::Storage;
use serde::Serialize;
use std::time::Duration;

/// The norm of a dataset that names none and has none yet.
pub const DEFAULT_NORM: &str = "generic";

/// One part of a push: a body or a file.
pub struct Part<'a> {
    /// The bytes.
    pub bytes: &'a [u8],
    /// The media type (RDF syntax) they are in.
    pub media_type: &'a str,
    /// A name for error messages (file name, or `request body`).
    pub name: &'a str,
}

/// What a push did, as the API answers it.
#[derive(Debug, Serialize)]
pub struct PushReport {
    /// `published` (a new current version), `scheduled` (a new version dated in the future,
    /// current from that day) or `unchanged`.
    pub status: &'static str,
    /// The dataset id.
    pub dataset: String,
    /// The dataset IRI.
    pub dataset_iri: String,
    /// The (new or unchanged) current version's IRI.
    pub version: String,
    /// Its sequence number.
    pub seq: u64,
    /// The norm the data was validated against.
    pub norm: String,
    /// Triples in the version.
    pub triples: u64,
    /// Triples added since the previous version.
    pub added: u64,
    /// Triples removed since the previous version.
    pub removed: u64,
    /// Validation results that are not violations (warnings, infos).
    pub warnings: usize,
    /// Values the store keeps under another datatype (`xsd:int` as `xsd:integer`…): the views
    /// and SPARQL show them so, the files as pushed (see [`crate::store::retyped`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub retyped: Vec<crate::store::retyped::Retyped>,
    /// Milliseconds per stage: parse, validate, publish (load + files + changeset + commit), and
    /// hash (part of publish, run alongside the load).
    pub times_ms: StageTimes,
    /// Distribution URLs of the version, by extension.
    pub files: Vec<(String, String)>,
}

/// Time of each stage, in milliseconds.
#[derive(Debug, Serialize, Default, Clone, Copy)]
pub struct StageTimes {
    /// Reading and parsing.
    pub parse: f64,
    /// Validating.
    pub validate: f64,
    /// Loading, writing files and changeset, committing.
    pub publish: f64,
    /// Hashing the content (within `publish`, in parallel with the load).
    pub hash: f64,
}

/// Why a push failed.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The dataset id is not allowed (HTTP 400).
    #[error(transparent)]
    BadId(#[from] IdError),
    /// No norm has that id (HTTP 400).
    #[error("no norm \"{id}\" (norms: {known})")]
    UnknownNorm {
        /// The id asked for.
        id: String,
        /// The ids there are.
        known: String,
    },
    /// The dataset exists under another norm (HTTP 409).
    #[error("dataset {dataset} is published under norm \"{current}\", not \"{asked}\"")]
    NormMismatch {
        /// The dataset.
        dataset: String,
        /// Its norm.
        current: String,
        /// The norm asked for.
        asked: String,
    },
    /// A stage refused the data (HTTP 400/413/415/422).
    #[error(transparent)]
    Rejected(#[from] Rejection),
    /// Storing failed (HTTP 500), or a version does not come after the newest one (HTTP 409).
    #[error(transparent)]
    Publish(#[from] PublishError),
    /// The version date is not a date (HTTP 400).
    #[error("version date {0:?} is not a date of the form YYYY-MM-DD")]
    BadVersionDate(String),
}

impl PushError {
    /// The message in Czech (the English one is its `Display`).
    pub fn czech(&self) -> String {
        match self {
            Self::BadId(e) => e.czech(),
            Self::UnknownNorm { id, known } => {
                format!("norma \"{id}\" neexistuje (normy: {known})")
            }
            Self::NormMismatch {
                dataset,
                current,
                asked,
            } => format!(
                "datová sada {dataset} je zveřejněna podle normy \"{current}\", ne \"{asked}\""
            ),
            Self::Rejected(r) => r.czech(),
            Self::Publish(e) => e.czech(),
            Self::BadVersionDate(date) => {
                format!("datum verze {date:?} není datum ve tvaru RRRR-MM-DD")
            }
        }
    }
}

/// A push's settings.
pub struct Push<'a> {
    /// Where to publish.
    pub storage: &'a Storage,
    /// The loaded norms.
    pub norms: &'a Norms,
    /// The local IRI space.
    pub base: &'a str,
    /// Limits of one push.
    pub limits: Limits,
    /// The licence of datasets whose data states none (config `license`).
    pub license: Option<&'a str>,
}

impl Push<'_> {
    /// The norm dataset `id` is pushed under: `asked`, else the one it has, else the default.
    pub fn norm_for(&self, id: &DatasetId, asked: Option<&str>) -> Result<&Norm, PushError> {
        let current = self
            .storage
            .registry()
            .latest(id.as_str())
            .map(|v| v.norm.clone());
        let name = asked
            .map(str::to_owned)
            .or_else(|| current.clone())
            .unwrap_or_else(|| DEFAULT_NORM.to_owned());
        let norm = self
            .norms
            .get(&name)
            .ok_or_else(|| PushError::UnknownNorm {
                id: name.clone(),
                known: self
                    .norms
                    .iter()
                    .map(|n| n.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        match current.filter(|c| *c != name) {
            Some(current) => Err(PushError::NormMismatch {
                dataset: id.to_string(),
                current,
                asked: name,
            }),
            None => Ok(norm),
        }
    }

    /// Runs the whole pipeline on `parts`; `progress` hears the number of triples read so far.
    pub fn run(
        &self,
        id: &str,
        norm: Option<&str>,
        parts: &[Part<'_>],
        progress: Option<&mut dyn FnMut(u64)>,
    ) -> Result<PushReport, PushError> {
        self.run_dated(id, norm, parts, progress, None)
    }

    /// [`Push::run`] for a version named by its date (`YYYY-MM-DD`): its IRI is the norm's
    /// version template with the date, and it must come after the newest version's date. A
    /// future date schedules the version: current from that day on.
    pub fn run_dated(
        &self,
        id: &str,
        norm: Option<&str>,
        parts: &[Part<'_>],
        progress: Option<&mut dyn FnMut(u64)>,
        date: Option<&str>,
    ) -> Result<PushReport, PushError> {
        if let Some(date) = date {
            check_version_date(date)?;
        }
        let id = DatasetId::parse(id)?;
        let norm = self.norm_for(&id, norm)?;
        let base = norm
            .templates
            .dataset_iri(self.base, &id)
            .map_err(PublishError::from)?;
        let mut ingest = Ingest::new(norm, self.limits);
        if let Some(progress) = progress {
            ingest = ingest.with_progress(progress);
        }
        for part in parts {
            ingest.add(part.bytes, part.media_type, part.name, Some(base.as_str()))?;
        }
        let accepted = ingest.finish()?;
        let derived = match (date, &norm.version_date_from) {
            (None, Some(class)) => validity_begins(&accepted.data, class),
            _ => None,
        };
        if let Some(date) = &derived {
            check_version_date(date)?;
        }
        let date = date.or(derived.as_deref());
        let stated = license_stated(&accepted.data, base.as_str());
        let meta = VersionMeta {
            date,
            license: stated.as_deref().or(self.license),
        };
        let retyped = crate::store::retyped::retyped(&accepted.data);
        for r in &retyped {
            tracing::warn!(
                "{id}: {} values of <{}> are stored as <{}> (views and SPARQL show them so; \
                 the files keep <{}>)",
                r.values,
                r.datatype,
                r.stored_as,
                r.datatype
            );
        }
        let (outcome, times) = publish(self.storage, self.base, &id, norm, &accepted.data, meta)?;
        let version = outcome.version();
        let scheduled = self.storage.registry().is_scheduled(version);
        let (status, added, removed) = match outcome {
            Outcome::Published(_) if scheduled => ("scheduled", version.added, version.removed),
            Outcome::Published(_) => ("published", version.added, version.removed),
            Outcome::Unchanged(_) => ("unchanged", 0, 0),
        };
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        Ok(PushReport {
            status,
            dataset: version.dataset.clone(),
            dataset_iri: version.dataset_iri.clone(),
            version: version.iri.clone(),
            seq: version.seq,
            norm: version.norm.clone(),
            triples: version.triples,
            added,
            removed,
            warnings: accepted.report.results.len(),
            retyped,
            times_ms: StageTimes {
                parse: ms(accepted.parse_time),
                validate: ms(accepted.validate_time),
                publish: ms(times.publish),
                hash: ms(times.hash),
            },
            files: version
                .files
                .iter()
                .map(|f| (f.file.ext.clone(), f.url.clone()))
                .collect(),
        })
    }
}

/// A version date is a plain `YYYY-MM-DD` date. A future date schedules the version: it is
/// published at its own IRI at once and becomes current on that day.
fn check_version_date(date: &str) -> Result<(), PushError> {
    let well_formed = date.len() == 10
        && date
            .parse::<oxsdatatypes::Date>()
            .is_ok_and(|d| d.to_string() == date);
    if well_formed {
        Ok(())
    } else {
        Err(PushError::BadVersionDate(date.to_owned()))
    }
}

/// The licence the data states for its dataset: `<dataset> dcterms:license <IRI>`.
fn license_stated(data: &crate::shacl::DataGraph, dataset: &str) -> Option<String> {
    use oxigraph::model::{NamedNodeRef, Term};
    let id = |iri: &str| data.id_of(NamedNodeRef::new(iri).ok()?.into());
    let (dataset, license) = (id(dataset)?, id("http://purl.org/dc/terms/license")?);
    data.objects(dataset, license)
        .find_map(|o| match data.term(o) {
            Term::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        })
}

/// The date the validity of the one instance of `class` in `data` begins, if it has one.
fn validity_begins(data: &crate::shacl::DataGraph, class: &str) -> Option<String> {
    use oxigraph::model::{NamedNodeRef, Term};
    let id = |iri: &str| data.id_of(NamedNodeRef::new(iri).ok()?.into());
    let (rdf_type, class) = (id(oxigraph::model::vocab::rdf::TYPE.as_str())?, id(class)?);
    let temporal = id("http://purl.org/dc/terms/temporal")?;
    let begins = id("http://www.w3.org/2006/time#hasBeginning")?;
    let date = id("http://www.w3.org/2006/time#inXSDDate")?;
    let mut instances = data.subjects(rdf_type, class);
    let (Some(instance), None) = (instances.next(), instances.next()) else {
        return None;
    };
    let interval = data.objects(instance, temporal).next()?;
    let instant = data.objects(interval, begins).next()?;
    let value = data.objects(instant, date).next()?;
    match data.term(value) {
        Term::Literal(l) => Some(l.value().to_owned()),
        _ => None,
    }
}
