//! Formal norms as data: each folder `ofn/<norm>/` holds a manifest (`norm.toml`) naming the
//! norm's shapes, optional JSON-LD context and CSV-on-the-Web mapping, and IRI templates. Norms
//! load at start with their shapes compiled strictly; a broken norm stops the start.

use crate::csvw::CsvMapping;
use crate::rdf_file::{read_graphs, ReadError};
use crate::shacl::{Shapes, ShapesError};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The manifest file name in each norm folder.
pub const MANIFEST: &str = "norm.toml";

/// Variables IRI templates may use.
const TEMPLATE_VARIABLES: &[&str] = &["base", "dataset", "version", "code", "ext"];

/// A loaded norm.
#[derive(Debug)]
pub struct Norm {
    /// Identifier, equal to the folder name (`ciselniky`, `generic`, …).
    pub id: String,
    /// The norm's own version (e.g. the OFN date `2022-02-08`).
    pub version: String,
    /// Title per language tag.
    pub title: BTreeMap<String, String>,
    /// IRI of the specification the norm implements.
    pub spec: Option<String>,
    /// The compiled shapes every push under this norm is validated against.
    pub shapes: Shapes,
    /// The shapes files, as found in the shapes folder.
    pub shape_files: Vec<PathBuf>,
    /// JSON-LD contexts bundled with the norm: remote context IRI → the local copy's content
    /// (see `without_version`). JSON-LD pushes resolve remote contexts against these only,
    /// never over the network.
    pub contexts: BTreeMap<String, Arc<[u8]>>,
    /// CSV-on-the-Web mapping bundled with the norm, if any: its file and its table schema.
    /// With one, pushes may be CSV (`text/csv`).
    pub csv: Option<(PathBuf, CsvMapping)>,
    /// IRI templates for datasets, versions, items and files.
    pub templates: Templates,
    /// Whether IRIs of datasets under this norm answer with the 303 pattern (thing IRI → 303 to
    /// its document URL), for publishers who follow httpRange-14 strictly.
    pub see_other: bool,
    /// Versions of datasets under this norm are dated, when the push gives no date, by the
    /// beginning of the validity of the one instance of this class (a code list's
    /// `skos:ConceptScheme`): `dcterms:temporal` → `time:hasBeginning` → `time:inXSDDate`.
    pub version_date_from: Option<String>,
    /// Datasets under this norm are one document each, about the one instance of this class (a
    /// code list's `skos:ConceptScheme`, a vocabulary's `owl:Ontology`): that resource's RDF
    /// carries its dataset's whole current content, as the norm's own documents do.
    pub document: Option<String>,
    /// Example SPARQL queries over data of this norm (title, query), shown on the query page.
    pub examples: Vec<(String, String)>,
    /// The norm's own JSON-LD context (`jsonld_context`, one of the bundled ones), parsed: data
    /// of this norm is written as JSON-LD in the norm's form.
    pub jsonld: Option<crate::render::norm_jsonld::NormContext>,
}

/// IRI templates of a norm. Variables: `{base}`, `{dataset}`, `{version}`, `{code}`, `{ext}`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Templates {
    /// A dataset's IRI, e.g. `{base}zdroj/datové-sady/{dataset}`.
    pub dataset: String,
    /// A version's IRI, e.g. `{dataset}/verze/{version}`.
    pub version: String,
    /// An item's IRI within a dataset, e.g. `{dataset}/položky/{code}`.
    pub item: String,
    /// A distribution file's URL, e.g. `{dataset}.{ext}`.
    pub file: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    id: String,
    version: String,
    title: BTreeMap<String, String>,
    spec: Option<String>,
    #[serde(default)]
    shapes: Vec<String>,
    #[serde(default)]
    contexts: BTreeMap<String, String>,
    csv: Option<String>,
    templates: Templates,
    #[serde(default)]
    see_other: bool,
    #[serde(default)]
    examples: Vec<Example>,
    required_languages: Option<RequiredLanguages>,
    jsonld_context: Option<String>,
    version_date_from: Option<String>,
    document: Option<String>,
}

/// `[required_languages]` of a manifest: instances of `classes` must have a `path` value in
/// every language the deployment requires (config `required_languages`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequiredLanguages {
    path: String,
    classes: Vec<String>,
}

/// `[[examples]]` of a manifest: a titled SPARQL query.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Example {
    title: String,
    query: String,
}

/// Why a norm could not be loaded: the file and what is wrong with it.
#[derive(Debug)]
pub struct NormError {
    /// The file at fault (the manifest, or a file it names).
    pub file: PathBuf,
    /// What is wrong, with line and column where the parser gives them.
    pub message: String,
}

impl fmt::Display for NormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.message)
    }
}

impl std::error::Error for NormError {}

impl From<ShapesError> for NormError {
    fn from(e: ShapesError) -> Self {
        Self {
            file: PathBuf::from(&e.source),
            message: format!("invalid shapes:\n{e}"),
        }
    }
}

impl From<ReadError> for NormError {
    fn from(e: ReadError) -> Self {
        let file = match &e {
            ReadError::Io { path, .. } | ReadError::UnknownFormat { path } => path.clone(),
            ReadError::Syntax { source_name, .. } => source_name.clone(),
        };
        Self {
            file: PathBuf::from(file),
            message: e.to_string(),
        }
    }
}

/// Every norm of a norms folder, by id.
#[derive(Debug, Default)]
pub struct Norms {
    norms: BTreeMap<String, Norm>,
}

impl Norms {
    /// Loads every `<norms_dir>/<id>/norm.toml`, with shapes files taken from `shapes_dir`;
    /// norms that ask for it require names in each of `languages`.
    pub fn load(
        norms_dir: &Path,
        shapes_dir: &Path,
        languages: &[String],
    ) -> Result<Self, NormError> {
        let entries = std::fs::read_dir(norms_dir).map_err(|e| NormError {
            file: norms_dir.to_path_buf(),
            message: format!("cannot read the norms folder: {e}"),
        })?;
        let mut folders: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.join(MANIFEST).is_file())
            .collect();
        folders.sort();
        let mut norms = BTreeMap::new();
        for folder in folders {
            let norm = load_norm_requiring(&folder, shapes_dir, languages)?;
            norms.insert(norm.id.clone(), norm);
        }
        Ok(Self { norms })
    }

    /// The norm `id`.
    pub fn get(&self, id: &str) -> Option<&Norm> {
        self.norms.get(id)
    }

    /// All norms, by id.
    pub fn iter(&self) -> impl Iterator<Item = &Norm> {
        self.norms.values()
    }

    /// The ids of all norms, for messages.
    pub fn ids(&self) -> Vec<&str> {
        self.norms.keys().map(String::as_str).collect()
    }
}

/// Loads the norm in `folder`, requiring no particular languages.
pub fn load_norm(folder: &Path, shapes_dir: &Path) -> Result<Norm, NormError> {
    load_norm_requiring(folder, shapes_dir, &[])
}

/// Loads the norm in `folder`; if its manifest has `[required_languages]`, shapes requiring
/// each of `languages` are added to its own.
pub fn load_norm_requiring(
    folder: &Path,
    shapes_dir: &Path,
    languages: &[String],
) -> Result<Norm, NormError> {
    let file = folder.join(MANIFEST);
    let err = |message: String| NormError {
        file: file.clone(),
        message,
    };
    let text = std::fs::read_to_string(&file).map_err(|e| err(e.to_string()))?;
    let manifest: Manifest = toml::from_str(&text).map_err(|e| err(e.to_string()))?;
    let folder_name = folder.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if manifest.id != folder_name {
        return Err(err(format!(
            "key `id`: \"{}\" must equal the folder name \"{folder_name}\"",
            manifest.id
        )));
    }
    if manifest.title.is_empty() {
        return Err(err(
            "key `title`: give the title in at least one language".into()
        ));
    }
    check_templates(&manifest.templates).map_err(err)?;
    let bundled = |key: &str, name: &Option<String>| -> Result<Option<PathBuf>, NormError> {
        let Some(name) = name else { return Ok(None) };
        let path = folder.join(name);
        if path.is_file() {
            Ok(Some(path))
        } else {
            Err(err(format!("key `{key}`: no file {}", path.display())))
        }
    };
    let mut contexts = BTreeMap::new();
    for (iri, name) in &manifest.contexts {
        let path =
            bundled(&format!("contexts.\"{iri}\""), &Some(name.clone()))?.expect("a named file");
        let content = std::fs::read(&path).map_err(|e| err(format!("{}: {e}", path.display())))?;
        let content = without_version(content).map_err(|e| NormError {
            file: path.clone(),
            message: format!("invalid JSON-LD context: {e}"),
        })?;
        contexts.insert(iri.clone(), Arc::from(content));
    }
    let jsonld = match &manifest.jsonld_context {
        Some(iri) if !contexts.contains_key(iri) => {
            return Err(err(format!(
                "key `jsonld_context`: <{iri}> is not one of the bundled [contexts]"
            )))
        }
        Some(iri) => {
            let load = |iri: &str| {
                let content = contexts.get(iri)?;
                serde_json::from_slice::<serde_json::Value>(content).ok()
            };
            let context = crate::render::norm_jsonld::NormContext::parse(iri, &load)
                .map_err(|e| err(format!("key `jsonld_context`: {e}")))?;
            Some(context)
        }
        None => None,
    };
    for (key, class) in [
        ("document", &manifest.document),
        ("version_date_from", &manifest.version_date_from),
    ] {
        if let Some(class) = class {
            oxigraph::model::NamedNode::new(class.as_str())
                .map_err(|e| err(format!("key `{key}`: <{class}> is not an IRI: {e}")))?;
        }
    }
    let csv = match bundled("csv", &manifest.csv)? {
        Some(path) => {
            let mapping = CsvMapping::load(&path).map_err(|message| NormError {
                file: path.clone(),
                message: format!("invalid CSV-on-the-Web metadata: {message}"),
            })?;
            Some((path, mapping))
        }
        None => None,
    };
    let mut shape_files = Vec::new();
    for name in &manifest.shapes {
        let path = shapes_dir.join(name);
        if !path.is_file() {
            return Err(err(format!("key `shapes`: no file {}", path.display())));
        }
        shape_files.push(path);
    }
    for example in &manifest.examples {
        spargebra::SparqlParser::new()
            .parse_query(&example.query)
            .map_err(|e| err(format!("example query \"{}\": {e}", example.title)))?;
    }
    let mut graph = read_graphs(&shape_files)?;
    if let Some(required) = &manifest.required_languages {
        let turtle = language_shapes(&manifest.id, required, languages).map_err(err)?;
        for quad in oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
            .for_slice(turtle.as_bytes())
        {
            let quad = quad.map_err(|e| err(format!("key `required_languages`: {e}")))?;
            graph.insert(oxigraph::model::TripleRef::new(
                &quad.subject,
                &quad.predicate,
                &quad.object,
            ));
        }
    }
    let source = shape_files
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let shapes = Shapes::from_graph(graph, &source)?;
    Ok(Norm {
        id: manifest.id,
        version: manifest.version,
        title: manifest.title,
        spec: manifest.spec,
        shapes,
        shape_files,
        contexts,
        csv,
        templates: manifest.templates,
        see_other: manifest.see_other,
        version_date_from: manifest.version_date_from,
        document: manifest.document,
        jsonld,
        examples: manifest
            .examples
            .into_iter()
            .map(|e| (e.title, e.query))
            .collect(),
    })
}

/// Shapes (Turtle) requiring a `required.path` value in each language for instances of
/// `required.classes`; a missing one is a violation naming the resource and the language.
fn language_shapes(
    norm: &str,
    required: &RequiredLanguages,
    languages: &[String],
) -> Result<String, String> {
    let iri = |s: &str| {
        oxigraph::model::NamedNode::new(s)
            .map(|n| n.to_string())
            .map_err(|e| format!("key `required_languages`: {s:?}: {e}"))
    };
    let path = iri(&required.path)?;
    let classes = required
        .classes
        .iter()
        .map(|c| iri(c))
        .collect::<Result<Vec<_>, _>>()?
        .join(", ");
    let mut turtle = String::from("@prefix sh: <http://www.w3.org/ns/shacl#> .\n");
    for lang in languages {
        let tag = oxigraph::model::Literal::new_simple_literal(lang);
        let shape = iri(&format!(
            "urn:datafond:norm:{norm}:required-language:{lang}"
        ))?;
        turtle.push_str(&format!(
            "{shape} a sh:NodeShape ; sh:targetClass {classes} ;\n\
             sh:property [ sh:path {path} ; sh:qualifiedValueShape [ sh:languageIn ( {tag} ) ] ;\n\
             sh:qualifiedMinCount 1 ;\n\
             sh:message \"Chybí název v jazyce {lang}\"@cs, \"the name in language {lang} is missing\"@en ] .\n"
        ));
    }
    Ok(turtle)
}

/// A context document without its top-level `"@version": 1.1`, which changes nothing here (the
/// parser runs in JSON-LD 1.1 mode anyway). Needed because oxjsonld 0.2.7 merges an `@import`ed
/// context's `@version` after it has handled the importing context's own, then refuses it as a
/// keyword redefinition: the official OFN code-list context imports the `věc` context, and both
/// carry `@version`.
fn without_version(content: Vec<u8>) -> Result<Vec<u8>, serde_json::Error> {
    let mut json = serde_json::from_slice::<serde_json::Value>(&content)?;
    let removed = json
        .get_mut("@context")
        .and_then(serde_json::Value::as_object_mut)
        .and_then(|context| context.remove("@version"));
    match removed {
        Some(version) if version.as_f64() == Some(1.1) => serde_json::to_vec(&json),
        _ => Ok(content),
    }
}

/// Checks that every `{variable}` of the templates is one datafond fills.
fn check_templates(t: &Templates) -> Result<(), String> {
    for (key, template) in [
        ("dataset", &t.dataset),
        ("version", &t.version),
        ("item", &t.item),
        ("file", &t.file),
    ] {
        let mut rest = template.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                return Err(format!(
                    "key `templates.{key}`: unclosed {{ in \"{template}\""
                ));
            };
            let variable = &rest[open + 1..open + close];
            if !TEMPLATE_VARIABLES.contains(&variable) {
                return Err(format!(
                    "key `templates.{key}`: unknown variable {{{variable}}} (known: {})",
                    TEMPLATE_VARIABLES
                        .iter()
                        .map(|v| format!("{{{v}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            rest = &rest[open + close + 1..];
        }
    }
    Ok(())
}
