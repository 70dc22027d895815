//! `pinpoint-inject images`: read a render (a stream or a ResourceList) on stdin, find
//! every image its pod templates name, ask each registry for the image's config, and
//! write the `ImageFacts` resource (sorted, digests pinned) to stdout, `--output FILE`,
//! or into `--update FILE` (whose entries stay as they are; only images it lacks are
//! read). A failure names the image, where it is used and why; the facts that could be
//! read are still written; the exit status is non-zero only with `--strict` (or when the
//! input cannot be read).

use super::fetch::registry_options;
use super::read;
use crate::cli::Cli;
use anyhow::Context;
use pinpoint_inject::facts::{self, Document, EntrySpec, Facts};
use pinpoint_inject::oci::Reference;
use pinpoint_inject::registry;
use pinpoint_inject::run::images::{Collected, Found};
use pinpoint_inject::yaml::{self, ListStyle};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// What the subcommand is asked for.
pub struct Request<'a> {
    pub output: Option<&'a Path>,
    pub update: Option<&'a Path>,
    pub strict: bool,
}

/// Run the subcommand on the images found in the input.
pub fn run(
    cli: &Cli,
    request: &Request,
    found: Collected,
    out: &mut impl Write,
    err: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    for message in &found.errors {
        writeln!(err, "pinpoint-inject: error: {message}")?;
    }
    let existing = match request.update {
        Some(path) if path.exists() => read::facts_document(path)?,
        _ => Document::new(Vec::new()),
    };
    let known = Facts::from_document(existing.clone()).with_context(|| {
        let file = request
            .update
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        format!("image facts file {file}")
    })?;
    // The images to read: those the file does not cover and that are references; two
    // spellings of one image (`nginx`, `docker.io/library/nginx:latest`) are one entry,
    // under the first.
    let mut wanted: Vec<(&Found, Reference)> = Vec::new();
    let (mut already, mut invalid, mut spellings) = (0, 0, 0);
    let mut seen = std::collections::HashSet::new();
    for image in &found.images {
        if known.lookup(&image.image).is_some() {
            already += 1;
            continue;
        }
        match Reference::parse(&image.image) {
            Ok(reference) if !seen.insert(reference.canonical()) => spellings += 1,
            Ok(reference) => wanted.push((image, reference)),
            Err(e) => {
                invalid += 1;
                writeln!(err, "pinpoint-inject: error: {e} ({})", where_used(image))?;
            }
        }
    }
    let mut failed = invalid;
    let options = registry_options(cli)?;
    let refs: Vec<Reference> = wanted.iter().map(|(_, r)| r.clone()).collect();
    let mut fetched = Vec::new();
    for ((image, _), result) in wanted.iter().zip(registry::fetch_all(&refs, &options)) {
        match result {
            Ok(f) => fetched.push(EntrySpec {
                image: image.image.clone(),
                digest: Some(f.digest),
                platform: Some(f.platform.to_string()),
                config: f.config,
            }),
            Err(e) => {
                failed += 1;
                writeln!(err, "pinpoint-inject: error: {e} ({})", where_used(image))?;
            }
        }
    }
    let read_now = fetched.len();
    let document = Document {
        images: facts::merge(existing.images, fetched),
        ..existing
    };
    let text = format!(
        "# Image facts, written by `pinpoint-inject images` (docs/image-facts.md).\n{}",
        yaml::to_string(&document, ListStyle::Compact)
    );
    match request.output.or(request.update) {
        Some(path) => write_atomically(path, text.as_bytes())?,
        None => {
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    writeln!(
        err,
        "pinpoint-inject: images: {} in the input, {already} already in the facts, {read_now} read, {failed} failed",
        found.images.len() - spellings,
    )?;
    let broken_input = !found.errors.is_empty();
    Ok(if broken_input || (request.strict && failed > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `document 3 (shop/templates/web.yaml): Deployment shop/web, container app`, and how
/// many more places use the image.
fn where_used(image: &Found) -> String {
    match image.places.len() {
        0 | 1 => image.places.join(""),
        n => format!("{}, and {} more", image.places[0], n - 1),
    }
}

/// Write `bytes` to `path` through a temporary file in the same folder, renamed over it:
/// a reader never sees half a file, and a failed write leaves the old one.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::write(&temp, bytes).and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        std::fs::remove_file(&temp).ok();
    }
    written.with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_file_replaces_the_old_one_whole() {
        let dir = std::env::temp_dir().join(format!("pi-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("facts.yaml");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file is left"
        );
        assert!(write_atomically(&dir.join("missing/facts.yaml"), b"x").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn where_an_image_is_used() {
        let found = |places: &[&str]| Found {
            image: "a".into(),
            places: places.iter().map(|p| p.to_string()).collect(),
        };
        assert_eq!(
            where_used(&found(&["document 1: Pod p, container c"])),
            "document 1: Pod p, container c"
        );
        assert_eq!(where_used(&found(&["x", "y", "z"])), "x, and 2 more");
    }
}
