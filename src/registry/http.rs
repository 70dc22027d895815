//! The one HTTP client (ureq, synchronous, rustls with the system trust store) and
//! what every request gets: a timeout, a size limit on the answer, and bounded retries
//! of a 429 (waiting as `Retry-After` asks), a 5xx or a broken connection (0.1 s,
//! 0.3 s, 0.9 s, … as go-containerregistry's `pkg/v1/remote/transport/retry.go`
//! backs off). An `Authorization` header is never sent on to a redirect's target.

use super::options::Options;
use std::io::Read;
use std::time::{Duration, SystemTime};
use ureq::config::RedirectAuthHeaders;
use ureq::tls::{RootCerts, TlsConfig};
use ureq::{Agent, ResponseExt};

/// What one request got: the status, the headers the reader uses, and the body.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    /// Every `WWW-Authenticate` header.
    pub challenges: Vec<String>,
    pub content_type: Option<String>,
    pub docker_content_digest: Option<String>,
    pub retry_after: Option<Duration>,
    pub body: Vec<u8>,
    /// How many times the request was sent.
    pub attempts: u32,
}

/// A request that got no HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    Unreachable(String),
    Timeout,
    Tls(String),
    /// The body is over the limit.
    Oversized,
    Other(String),
}

/// The client: one connection pool shared by every thread of a run.
pub(crate) struct Client {
    agent: Agent,
    max_bytes: u64,
    retries: u32,
    max_retry_wait: Duration,
    pub timeout: Duration,
}

/// True when a request for `url` over HTTPS ended at `last` (where ureq's redirects led)
/// over anything else.
fn downgraded(url: &str, last: &ureq::http::Uri) -> bool {
    url.starts_with("https://") && last.scheme_str() != Some("https")
}

/// Names us to registries (and to their logs).
const USER_AGENT: &str = concat!("pinpoint-inject/", env!("CARGO_PKG_VERSION"));

impl Client {
    pub fn new(options: &Options) -> Client {
        let tls = TlsConfig::builder()
            .root_certs(RootCerts::PlatformVerifier)
            .build();
        let agent = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_per_call(Some(options.timeout))
            .max_redirects(5)
            .redirect_auth_headers(RedirectAuthHeaders::Never)
            .user_agent(USER_AGENT)
            .max_idle_connections(options.concurrency.max(1) * 2)
            .max_idle_connections_per_host(options.concurrency.max(1))
            .tls_config(tls)
            .build()
            .new_agent();
        Client {
            agent,
            max_bytes: options.max_response_bytes,
            retries: options.retries,
            max_retry_wait: options.max_retry_wait,
            timeout: options.timeout,
        }
    }

    /// The largest body read.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// GET `url` with `headers`, retrying as the module doc says.
    pub fn get(&self, url: &str, headers: &[(&str, &str)]) -> Result<Reply, Failure> {
        self.with_retries(url, || {
            let mut request = self.agent.get(url);
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            request.call()
        })
    }

    /// GET `url` once, without retries (a probe whose failure has another way out).
    pub fn get_once(&self, url: &str) -> Result<Reply, Failure> {
        match self.agent.get(url).call() {
            Ok(response) => self.read(url, response, 1),
            Err(error) => Err(failure(error)),
        }
    }

    /// POST a form (the OAuth2 token flow), retrying as [`Client::get`] does.
    pub fn post_form(&self, url: &str, form: &[(&str, &str)]) -> Result<Reply, Failure> {
        self.with_retries(url, || self.agent.post(url).send_form(form.iter().copied()))
    }

    fn with_retries(
        &self,
        url: &str,
        send: impl Fn() -> Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<Reply, Failure> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let last = attempt > self.retries;
            let reply = match send() {
                Ok(response) => self.read(url, response, attempt),
                Err(error) => Err(failure(error)),
            };
            let wait = match &reply {
                Ok(r) if r.status == 429 => r.retry_after.unwrap_or_else(|| backoff(attempt)),
                Ok(r) if matches!(r.status, 500 | 502 | 503 | 504) => {
                    r.retry_after.unwrap_or_else(|| backoff(attempt))
                }
                Err(Failure::Unreachable(_) | Failure::Other(_)) => backoff(attempt),
                _ => return reply,
            };
            if last || wait > self.max_retry_wait {
                return reply;
            }
            std::thread::sleep(wait);
        }
    }

    fn read(
        &self,
        url: &str,
        mut response: ureq::http::Response<ureq::Body>,
        attempts: u32,
    ) -> Result<Reply, Failure> {
        // A redirect may not take an HTTPS request to plain HTTP (ureq follows it): the
        // answer could then be changed on the way, and a manifest read by tag has only
        // its own header to be checked against.
        if downgraded(url, response.get_uri()) {
            return Err(Failure::Other(format!(
                "{url} was redirected to plain HTTP ({}), which is refused",
                response.get_uri()
            )));
        }
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let challenges = response
            .headers()
            .get_all("www-authenticate")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect();
        let content_type = header("content-type");
        let docker_content_digest = header("docker-content-digest");
        let retry_after = header("retry-after").and_then(|v| parse_retry_after(&v));
        let status = response.status().as_u16();
        let declared = header("content-length").and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.max_bytes) {
            return Err(Failure::Oversized);
        }
        // Read one byte past the limit to tell "exactly the limit" from "over it".
        let mut body = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(self.max_bytes + 1)
            .read_to_end(&mut body)
            .map_err(|e| failure(ureq::Error::from(e)))?;
        if body.len() as u64 > self.max_bytes {
            return Err(Failure::Oversized);
        }
        Ok(Reply {
            status,
            challenges,
            content_type,
            docker_content_digest,
            retry_after,
            body,
            attempts,
        })
    }
}

/// 0.1 s, 0.3 s, 0.9 s, 2.7 s, … for attempt 1, 2, 3, 4, …
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(100 * 3u64.pow(attempt.saturating_sub(1).min(6)))
}

fn failure(error: ureq::Error) -> Failure {
    use ureq::Error as E;
    match error {
        E::Timeout(_) => Failure::Timeout,
        E::HostNotFound => Failure::Unreachable("the host name does not resolve".into()),
        E::ConnectionFailed => Failure::Unreachable("the connection failed".into()),
        E::BodyExceedsLimit(_) => Failure::Oversized,
        E::Tls(detail) => Failure::Tls(detail.to_string()),
        E::Rustls(e) => Failure::Tls(e.to_string()),
        E::Io(e) => match e.kind() {
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => Failure::Timeout,
            std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::AddrNotAvailable
            | std::io::ErrorKind::HostUnreachable
            | std::io::ErrorKind::NetworkUnreachable => Failure::Unreachable(e.to_string()),
            std::io::ErrorKind::InvalidData => Failure::Tls(e.to_string()),
            _ => Failure::Other(e.to_string()),
        },
        other => Failure::Other(other.to_string()),
    }
}

/// `Retry-After`: seconds, or an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110
/// section 10.2.3), as a wait from now.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_http_date(value)?;
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .ok()?
        .as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// Seconds since the epoch of an IMF-fixdate.
fn parse_http_date(value: &str) -> Option<u64> {
    let parts: Vec<&str> = value.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| m == month)? as i64 + 1;
    let day: i64 = day.parse().ok()?;
    let year: i64 = year.parse().ok()?;
    let hms: Vec<i64> = time
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [h, m, s] = hms.as_slice() else {
        return None;
    };
    // Days from 1970-01-01 to the civil date (Howard Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + h * 3600 + m * 60 + s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_from_https_to_plain_http_is_a_downgrade() {
        let uri = |u: &str| u.parse::<ureq::http::Uri>().unwrap();
        assert!(downgraded(
            "https://r.example/v2/",
            &uri("http://r.example/v2/")
        ));
        assert!(!downgraded(
            "https://r.example/v2/",
            &uri("https://cdn.example/b")
        ));
        assert!(!downgraded(
            "http://127.0.0.1:5000/v2/",
            &uri("http://127.0.0.1:5000/v2/")
        ));
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2028 12:00:00 GMT"),
            Some(1_835_438_400)
        );
        // A date in the past is no wait at all.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        for bad in ["soon", "-1", "Sun, 06 Foo 1994 08:49:37 GMT", "06 Nov 1994"] {
            assert_eq!(parse_retry_after(bad), None, "{bad}");
        }
    }

    #[test]
    fn backoff_triples() {
        let waits: Vec<u64> = (1..=4).map(|a| backoff(a).as_millis() as u64).collect();
        assert_eq!(waits, [100, 300, 900, 2700]);
    }
}
