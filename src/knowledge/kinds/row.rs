//! One row of the kind table: the kind, the API versions it lives in, where its pod
//! template is, and what comes with it.

/// One row: the kind, the API versions it lives in, and where its pod template is.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Row {
    pub kind: &'static str,
    /// `group/version`, `group/*` (any version of the group), or `v1` (the core group).
    pub api_versions: &'static [&'static str],
    /// Dot paths to the pod template, tried in order (the first that is an object wins);
    /// `""` is the resource itself (a Pod: metadata + spec).
    pub template_paths: &'static [&'static str],
    /// Where the field paths were read from.
    pub source: &'static str,
    pub delegate: Option<Delegate>,
    pub note: Option<Note>,
    /// Its pods run to completion (Jobs and what makes them): they get
    /// `naming.jobApplicationName`, and a server image in them runs its tools.
    pub runs_to_completion: bool,
}

/// A field that, set instead of a pod template, means another resource provides the
/// pods (Argo Rollouts' `spec.workloadRef`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Delegate {
    pub field: &'static str,
}

/// What a wired resource of the kind must be told about (or refused for): its
/// controller validates the pod template itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Note {
    /// Knative Serving's webhook checks the pod spec against its feature flags.
    KnativePodSpec,
    /// Argo Rollouts validates the template with the Kubernetes validation it vendors.
    ArgoRollouts,
    /// OpenKruise's webhooks validate and patch the template with the Kubernetes types
    /// they vendor.
    OpenKruise,
}
