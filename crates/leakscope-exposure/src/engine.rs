//! From targets to probed endpoints: the plan (every target checked against the scope before
//! anything is sent; names resolved only when the scope could admit them) and the worker pool
//! that probes endpoints under the scan's concurrency and rate limits.

use crate::model::{ProbeFailure, Refusal, ServiceKind};
use crate::net::{Endpoint, Limits, Net};
use crate::probe::{self, Probed};
use crate::scope::{split_authority, Cidr, Scope};
use std::collections::HashMap;
use std::net::{IpAddr, ToSocketAddrs};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// One endpoint to probe.
#[derive(Debug, Clone)]
pub struct Job {
    /// Where.
    pub ep: Endpoint,
    /// The service the port or URL scheme suggests.
    pub hint: Option<ServiceKind>,
    /// TLS or not, when a URL said.
    pub https: Option<bool>,
    /// A URL target's path.
    pub path: String,
    /// The target it came from.
    pub target: String,
}

/// What will be probed, and what was refused.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Endpoints, in target order.
    pub jobs: Vec<Job>,
    /// Targets (or parts of them) refused before any packet.
    pub refused: Vec<Refusal>,
}

fn scheme_default(scheme: &str) -> Option<(u16, Option<ServiceKind>, Option<bool>)> {
    Some(match scheme {
        "http" => (80, None, Some(false)),
        "https" => (443, None, Some(true)),
        "redis" => (6379, Some(ServiceKind::Redis), None),
        "postgres" | "postgresql" => (5432, Some(ServiceKind::Postgresql), None),
        "mysql" | "mariadb" => (3306, Some(ServiceKind::Mysql), None),
        "mongodb" => (27017, Some(ServiceKind::Mongodb), None),
        "elasticsearch" | "es" | "opensearch" => {
            (9200, Some(ServiceKind::Elasticsearch), Some(false))
        }
        "kibana" => (5601, Some(ServiceKind::Kibana), Some(false)),
        "s3" => (443, Some(ServiceKind::S3), None),
        _ => return None,
    })
}

/// Checks every target against the scope and lists the endpoints to probe. `ports` replaces
/// the default port list for targets without a port.
pub fn plan(targets: &[String], scope: &Scope, ports: &[u16], limits: &Limits) -> Plan {
    let default_ports: Vec<u16> = if ports.is_empty() {
        probe::DEFAULT_PORTS.iter().map(|(p, _)| *p).collect()
    } else {
        ports.to_vec()
    };
    let mut plan = Plan::default();
    let mut seen: HashMap<(IpAddr, u16), usize> = HashMap::new();
    let refuse = |plan: &mut Plan, t: &str, reason: String| {
        plan.refused.push(Refusal {
            target: t.to_string(),
            reason,
        })
    };
    for t in targets {
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        // A network.
        if !t.contains("://") {
            if let Some(c) = Cidr::parse(t).filter(|_| t.contains('/')) {
                if c.size() > limits.max_hosts as u128 {
                    refuse(
                        &mut plan,
                        t,
                        format!(
                            "expands to {} addresses, more than --max-hosts {}",
                            c.size(),
                            limits.max_hosts
                        ),
                    );
                    continue;
                }
                let mut outside = 0usize;
                let mut total = 0usize;
                for ip in c.hosts(limits.max_hosts) {
                    for &port in &default_ports {
                        total += 1;
                        if !scope.allows(None, ip, port) {
                            outside += 1;
                            continue;
                        }
                        if let std::collections::hash_map::Entry::Vacant(e) = seen.entry((ip, port))
                        {
                            e.insert(plan.jobs.len());
                            plan.jobs.push(Job {
                                ep: Endpoint {
                                    name: None,
                                    ip,
                                    port,
                                },
                                hint: probe::port_hint(port),
                                https: None,
                                path: String::new(),
                                target: t.to_string(),
                            });
                        }
                    }
                }
                if outside > 0 {
                    refuse(
                        &mut plan,
                        t,
                        format!("{outside} of {total} address × port pairs are outside the scope"),
                    );
                }
                continue;
            }
        }
        let Some((host, port, scheme, path)) = split_authority(t) else {
            refuse(&mut plan, t, "not a host, network or URL".into());
            continue;
        };
        let host = host.trim_end_matches('.').to_string();
        let (def_port, hint, https) = match scheme.as_deref() {
            Some(s) => match scheme_default(s) {
                Some(d) => (Some(d.0), d.1, d.2),
                None => {
                    refuse(&mut plan, t, format!("unknown scheme {s}://"));
                    continue;
                }
            },
            None => (None, None, None),
        };
        let ports: Vec<u16> = match (port, def_port) {
            (Some(p), _) => vec![p],
            (None, Some(p)) => vec![p],
            (None, None) => default_ports.clone(),
        };
        let (name, ips): (Option<String>, Vec<IpAddr>) = match host.parse::<IpAddr>() {
            Ok(ip) => (None, vec![ip]),
            Err(_) => {
                if !scope.may_allow_name(&host) {
                    refuse(
                        &mut plan,
                        t,
                        "outside the scope (not resolved, not contacted)".into(),
                    );
                    continue;
                }
                match (host.as_str(), 0u16).to_socket_addrs() {
                    Ok(a) => {
                        let mut v: Vec<IpAddr> = a.map(|s| s.ip()).collect();
                        v.sort();
                        v.dedup();
                        (Some(host.clone()), v)
                    }
                    Err(e) => {
                        refuse(&mut plan, t, format!("cannot resolve: {e}"));
                        continue;
                    }
                }
            }
        };
        let mut outside = 0;
        for ip in &ips {
            for &p in &ports {
                if !scope.allows(name.as_deref(), *ip, p) {
                    outside += 1;
                    continue;
                }
                let job = Job {
                    ep: Endpoint {
                        name: name.clone(),
                        ip: *ip,
                        port: p,
                    },
                    hint: hint.or(probe::port_hint(p)),
                    https,
                    path: path.clone(),
                    target: t.to_string(),
                };
                match seen.get(&(*ip, p)) {
                    None => {
                        seen.insert((*ip, p), plan.jobs.len());
                        plan.jobs.push(job);
                    }
                    // The same endpoint again, now as a URL: its scheme and path say more.
                    Some(&i) if scheme.is_some() || !path.is_empty() => plan.jobs[i] = job,
                    Some(_) => {}
                }
            }
        }
        if outside > 0 {
            refuse(
                &mut plan,
                t,
                if outside == ips.len() * ports.len() {
                    "outside the scope: not contacted".into()
                } else {
                    format!("{outside} address × port pairs outside the scope: not contacted")
                },
            );
        }
    }
    plan
}

/// What probing one endpoint gave.
#[derive(Debug)]
pub enum Outcome {
    /// Nothing listens (or the connection timed out).
    Closed,
    /// Something listens but no probe recognised it.
    Unknown,
    /// A service.
    Service(Box<Probed>),
    /// A probe failed mid-conversation.
    Failed(ProbeFailure),
}

/// Probes every job with `net.limits.concurrency` workers. `work(job, outcome)` runs on the
/// worker (samples are profiled and dropped there, on every core); `done(job, result)` is called
/// on the caller's thread as results arrive, in completion order.
pub fn run<T: Send>(
    plan: &Plan,
    net: &Net,
    work: impl Fn(&Job, Outcome) -> T + Sync,
    mut done: impl FnMut(&Job, T),
) {
    let next = AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, T)>(1);
    let workers = net
        .limits
        .concurrency
        .clamp(1, 256)
        .min(plan.jobs.len().max(1));
    let rx = Mutex::new(rx);
    std::thread::scope(|s| {
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            let work = &work;
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = plan.jobs.get(i) else { break };
                let out = work(job, probe_one(net, job));
                if tx.send((i, out)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let rx = rx.lock().unwrap_or_else(|e| e.into_inner());
        for (i, out) in rx.iter() {
            done(&plan.jobs[i], out);
        }
    });
}

fn probe_one(net: &Net, job: &Job) -> Outcome {
    // Is anything listening? One connection, closed at once.
    match net.connect(&job.ep) {
        Ok(s) => drop(s),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Outcome::Failed(ProbeFailure {
                endpoint: job.ep.authority(),
                kind: None,
                message: e.to_string(),
            })
        }
        Err(_) => return Outcome::Closed,
    }
    match probe::run(net, &job.ep, job.hint, job.https, &job.path) {
        Ok(Some(p)) => Outcome::Service(Box::new(p)),
        Ok(None) => Outcome::Unknown,
        Err(e) => Outcome::Failed(ProbeFailure {
            endpoint: job.ep.authority(),
            kind: job.hint,
            message: e,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_refuses_outside_and_expands_inside() {
        let scope = Scope::parse("127.0.0.0/30\n!127.0.0.2\n", "t").unwrap();
        let l = Limits::default();
        let p = plan(
            &[
                "127.0.0.0/30".into(),
                "10.9.9.9:6379".into(),
                "redis://127.0.0.1:7000".into(),
                "not-in-scope.invalid".into(),
                "10.0.0.0/8".into(),
            ],
            &scope,
            &[6379],
            &l,
        );
        let eps: Vec<String> = p.jobs.iter().map(|j| j.ep.authority()).collect();
        assert_eq!(eps, vec!["127.0.0.1:6379", "127.0.0.1:7000"]);
        assert_eq!(p.jobs[1].hint, Some(ServiceKind::Redis));
        let refused: Vec<&str> = p.refused.iter().map(|r| r.target.as_str()).collect();
        assert_eq!(
            refused,
            vec![
                "127.0.0.0/30",
                "10.9.9.9:6379",
                "not-in-scope.invalid",
                "10.0.0.0/8"
            ]
        );
        // A network in the scope could hold the name's addresses: it is resolved, not contacted.
        assert!(p.refused[2].reason.contains("cannot resolve"));
        // A scope of names only refuses other names without even resolving them.
        let names = Scope::parse("db.example.com\n", "t").unwrap();
        let p = plan(&["www.example.org".into()], &names, &[], &l);
        assert!(p.jobs.is_empty());
        assert!(p.refused[0].reason.contains("not resolved"));
    }
}
