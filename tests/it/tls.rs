//! An HTTPS endpoint whose certificate is not trusted: the run stops at the
//! first attempt with the URL, the TLS reason and how to trust a CA — not a
//! silent retry for the whole patience as if the network had failed. The
//! same for an `https://` URL of a plain HTTP server.
use crate::support;

use std::io::Read;
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use support::apply::command;
use support::local_server::DEMO_INSTANCE_ID;

/// A TLS server on 127.0.0.1 with a fresh self-signed certificate: it
/// counts the handshakes clients start, and answers nothing else.
struct UntrustedServer {
    port: u16,
    handshakes: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl UntrustedServer {
    fn start() -> UntrustedServer {
        let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into()]).unwrap();
        let key = rustls::pki_types::PrivateKeyDer::try_from(certified.signing_key.serialize_der())
            .unwrap();
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![certified.cert.der().clone()], key)
            .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let handshakes = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (count, stopped) = (handshakes.clone(), stop.clone());
        std::thread::spawn(move || {
            for socket in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(socket) = socket else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                let connection = rustls::ServerConnection::new(config.clone()).unwrap();
                let mut stream = rustls::StreamOwned::new(connection, socket);
                // The client refuses the certificate: the read ends with its alert.
                let _ = stream.read(&mut [0; 1024]);
            }
        });
        UntrustedServer {
            port,
            handshakes,
            stop,
        }
    }
}

impl Drop for UntrustedServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = std::net::TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// A CA certificate (PEM) that has signed nothing the server shows.
fn other_ca() -> String {
    let mut params = rcgen::CertificateParams::new(Vec::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "connect-users test CA");
    let key = rcgen::KeyPair::generate().unwrap();
    params.self_signed(&key).unwrap().pem()
}

#[test]
fn an_untrusted_certificate_stops_at_the_first_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let server = UntrustedServer::start();
    // The trusted roots are one other CA, whatever the machine holds.
    let roots = dir.path().join("roots.pem");
    std::fs::write(&roots, other_ca()).unwrap();
    let url = format!("https://127.0.0.1:{}", server.port);
    let output = command(dir.path())
        .args(["agents", "list", "--instance-id", DEMO_INSTANCE_ID])
        .args(["--endpoint-url", &url, "--region", "us-east-1"])
        // Long enough for several retries, were it retried.
        .args(["--patience", "30s"])
        .env("SSL_CERT_FILE", &roots)
        .env_remove("SSL_CERT_DIR")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(server.handshakes.load(Ordering::SeqCst), 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the TLS certificate of {url} was rejected (invalid peer certificate: UnknownIssuer)"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("SSL_CERT_FILE") && stderr.contains("SSL_CERT_DIR"),
        "{stderr}"
    );
    assert!(!stderr.contains("is not answering"), "{stderr}");
}

/// An `https://` URL of a plain HTTP server (`local serve`): its answer is
/// not TLS, which no retry changes; the first request says to write http://.
#[test]
fn https_to_a_plain_http_server_stops_at_the_first_attempt_and_says_http() {
    let dir = tempfile::tempdir().unwrap();
    let server = support::local_server::LocalServer::start();
    let url = server.endpoint().replacen("http://", "https://", 1);
    let roots = dir.path().join("roots.pem");
    std::fs::write(&roots, other_ca()).unwrap();
    let output = command(dir.path())
        .args(["agents", "list", "--instance-id", DEMO_INSTANCE_ID])
        .args(["--endpoint-url", &url, "--region", "us-east-1"])
        .args(["--patience", "30s"])
        .env("SSL_CERT_FILE", &roots)
        .env_remove("SSL_CERT_DIR")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{url} does not answer in TLS"))
            && stderr.contains("write its URL with http://"),
        "{stderr}"
    );
    // Not retried: a retried failure is told as "not answering".
    assert!(!stderr.contains("is not answering"), "{stderr}");
}
