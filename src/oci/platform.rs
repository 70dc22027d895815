//! The platform an image runs on (`linux/amd64`, `linux/arm64/v8`), as the OCI image
//! index names it (`opencontainers/image-spec`, `image-index.md`: `os`, `architecture`,
//! `variant`), and how an index entry is matched to the platform asked for: both sides
//! normalised as containerd normalises them (`containerd/platforms`, `database.go`
//! `normalizeArch`: `aarch64` is `arm64`, and arm64's `v8` is arm64 with no variant;
//! `x86_64` is `amd64`; 32-bit `arm` defaults to `v7`), then compared.

use std::fmt;
use std::str::FromStr;

/// An operating system, an architecture and maybe a CPU variant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}

/// Why a string is not `os/architecture[/variant]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid platform {0:?}: expected os/architecture[/variant] in lowercase letters, digits, '_', '.' or '-' (e.g. linux/amd64, linux/arm64/v8)"
)]
pub struct PlatformError(pub String);

impl Platform {
    /// `linux/amd64`, `linux/arm64/v8`, `windows/amd64`.
    pub fn parse(input: &str) -> Result<Platform, PlatformError> {
        let part = |p: &str| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c))
        };
        let parts: Vec<&str> = input.split('/').collect();
        if !(2..=3).contains(&parts.len()) || !parts.iter().all(|p| part(p)) {
            return Err(PlatformError(input.to_string()));
        }
        Ok(Platform {
            os: parts[0].to_string(),
            architecture: parts[1].to_string(),
            variant: parts.get(2).map(|v| v.to_string()),
        })
    }

    /// True when an image for `candidate` (an index entry, or an image config's
    /// platform) is the image for this platform: equal once both are normalised.
    pub fn matches(&self, candidate: &Platform) -> bool {
        self.normalized() == candidate.normalized()
    }

    /// The form containerd compares: lowercase, architecture aliases resolved, and the
    /// default variant of an architecture written the one way (`arm64`'s is none).
    pub fn normalized(&self) -> Platform {
        let os = match self.os.to_ascii_lowercase().as_str() {
            "macos" => "darwin".to_string(),
            other => other.to_string(),
        };
        let variant = self.variant.as_deref().unwrap_or("").to_ascii_lowercase();
        let (architecture, variant) = match self.architecture.to_ascii_lowercase().as_str() {
            "i386" => ("386".to_string(), String::new()),
            "x86_64" | "x86-64" | "amd64" => {
                let variant = if variant == "v1" {
                    String::new()
                } else {
                    variant
                };
                ("amd64".to_string(), variant)
            }
            "aarch64" | "arm64" => {
                let variant = match variant.as_str() {
                    "8" | "v8" | "v8.0" => String::new(),
                    "9" | "9.0" | "v9.0" => "v9".to_string(),
                    _ => variant,
                };
                ("arm64".to_string(), variant)
            }
            "armhf" => ("arm".to_string(), "v7".to_string()),
            "armel" => ("arm".to_string(), "v6".to_string()),
            "arm" => {
                let variant = match variant.as_str() {
                    "" | "7" => "v7".to_string(),
                    "5" | "6" | "8" => format!("v{variant}"),
                    _ => variant,
                };
                ("arm".to_string(), variant)
            }
            other => (other.to_string(), variant),
        };
        Platform {
            os,
            architecture,
            variant: (!variant.is_empty()).then_some(variant),
        }
    }
}

impl Default for Platform {
    /// `linux/amd64`: what most clusters run, and what kbld and crane pick by default.
    fn default() -> Platform {
        Platform {
            os: "linux".to_string(),
            architecture: "amd64".to_string(),
            variant: None,
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(variant) = &self.variant {
            write!(f, "/{variant}")?;
        }
        Ok(())
    }
}

impl FromStr for Platform {
    type Err = PlatformError;

    fn from_str(s: &str) -> Result<Platform, PlatformError> {
        Platform::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Platform {
        Platform::parse(s).unwrap()
    }

    #[test]
    fn parse_and_display_round_trip() {
        for s in [
            "linux/amd64",
            "linux/arm64/v8",
            "linux/arm/v7",
            "windows/amd64",
        ] {
            assert_eq!(p(s).to_string(), s);
        }
        assert_eq!(Platform::default().to_string(), "linux/amd64");
        assert_eq!(
            p("linux/arm64/v8"),
            Platform {
                os: "linux".into(),
                architecture: "arm64".into(),
                variant: Some("v8".into())
            }
        );
    }

    #[test]
    fn bad_platforms_are_refused() {
        for (name, input) in [
            ("empty", ""),
            ("one part", "linux"),
            ("four parts", "linux/arm64/v8/x"),
            ("an empty part", "linux//v8"),
            ("uppercase", "Linux/AMD64"),
            ("a space", "linux/ amd64"),
        ] {
            let e = Platform::parse(input).expect_err(name);
            assert!(e.to_string().contains("os/architecture"), "{name}: {e}");
        }
    }

    #[test]
    fn matching_normalises_as_containerd_does() {
        let cases = [
            (
                "arm64 asked, index says arm64/v8",
                "linux/arm64",
                "linux/arm64/v8",
                true,
            ),
            (
                "arm64/v8 asked, index says arm64",
                "linux/arm64/v8",
                "linux/arm64",
                true,
            ),
            ("aarch64 is arm64", "linux/arm64", "linux/aarch64", true),
            ("x86_64 is amd64", "linux/amd64", "linux/x86_64", true),
            ("amd64 v1 is amd64", "linux/amd64", "linux/amd64/v1", true),
            (
                "arm with no variant is v7",
                "linux/arm/v7",
                "linux/arm",
                true,
            ),
            ("armhf is arm v7", "linux/arm/v7", "linux/armhf", true),
            ("arm64 v9 is not v8", "linux/arm64", "linux/arm64/v9", false),
            ("arm v6 is not v7", "linux/arm/v7", "linux/arm/v6", false),
            ("amd64 is not arm64", "linux/amd64", "linux/arm64", false),
            ("another os", "linux/amd64", "windows/amd64", false),
        ];
        for (name, wanted, candidate, expected) in cases {
            assert_eq!(p(wanted).matches(&p(candidate)), expected, "{name}");
        }
    }
}
