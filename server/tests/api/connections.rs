//! Connections: a client that pauses between requests, as a learner reading a card does,
//! finds its keep-alive connection still open.

use crate::helpers::{spawn_app, spawn_app_with};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Sends `GET /healthz` on `conn` and reads the reply; `None` when the server has closed it.
async fn health_check(conn: &mut TcpStream) -> Option<String> {
    let request = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
    conn.write_all(request.as_bytes()).await.ok()?;
    let mut buf = vec![0; 4096];
    let n = conn.read(&mut buf).await.ok()?;
    (n > 0).then(|| String::from_utf8_lossy(&buf[..n]).into_owned())
}

fn host_port(address: &str) -> &str {
    address.trim_start_matches("http://")
}

/// Six seconds idle is past actix's own keep-alive (5 s), which closed connections that
/// clients then reused ("error sending request" after a pause).
#[tokio::test]
async fn an_idle_connection_is_still_open_after_a_learners_pause() {
    let app = spawn_app().await;
    let mut conn = TcpStream::connect(host_port(&app.address)).await.unwrap();
    let first = health_check(&mut conn).await.expect("a reply");
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    tokio::time::sleep(Duration::from_secs(6)).await;
    let second = health_check(&mut conn)
        .await
        .expect("the same connection still answers");
    assert!(second.starts_with("HTTP/1.1 200"), "{second}");
}

#[tokio::test]
async fn the_keep_alive_is_a_setting() {
    let app = spawn_app_with(|s| s.keep_alive_secs = 1).await;
    let mut conn = TcpStream::connect(host_port(&app.address)).await.unwrap();
    assert!(health_check(&mut conn).await.is_some());
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(health_check(&mut conn).await, None, "closed after 1 s idle");
}
