//! The Pod Security Standards' limits on a container's `securityContext` that the copy
//! step's own context could break (kubernetes/website
//! content/en/docs/concepts/security/pod-security-standards.md, "Baseline" and
//! "Restricted"): a namespace enforcing a level rejects a pod whose init container
//! breaks it.

/// The level a setting breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Baseline,
    Restricted,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

/// "Capabilities" (Baseline): adding any other is forbidden.
pub const BASELINE_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// "Capabilities" (Restricted): `drop` must hold `ALL`, and only this may be added.
pub const RESTRICTED_CAPABILITIES: &[&str] = &["NET_BIND_SERVICE"];

/// "Seccomp" and "AppArmor" (Baseline): `Unconfined` is forbidden.
pub const UNCONFINED: &str = "Unconfined";

/// "/proc Mount Type" (Baseline): only `Default`.
pub const PROC_MOUNT: &str = "Default";

/// "SELinux" (Baseline): the types allowed (and `user`, `role` unset).
pub const SELINUX_TYPES: &[&str] = &[
    "",
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];
