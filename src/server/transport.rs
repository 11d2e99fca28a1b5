//! JSON-RPC over stdio with LSP's `Content-Length` framing. `lsp-server`'s
//! own stdio transport ends the connection on a payload that is not a
//! message; this one answers it with a JSON-RPC error and reads on, as the
//! spec asks. Messages themselves are `lsp-server`'s.
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use std::io::{self, BufRead, Write};
use std::sync::mpsc::{self, Receiver, Sender};

/// Sends messages to the client from any thread, in order.
#[derive(Clone)]
pub struct Outbox {
    frames: Sender<Frame>,
}

enum Frame {
    Bytes(Vec<u8>),
    /// Answered once every frame before it is written.
    Flush(Sender<()>),
}

impl Outbox {
    pub fn send(&self, message: impl Into<Message>) {
        let mut frame = Vec::new();
        if message.into().write(&mut frame).is_ok() {
            // The writer only stops when stdout is gone; then nothing can be said.
            let _ = self.frames.send(Frame::Bytes(frame));
        }
    }

    /// Waits until everything sent so far is written (before the process exits).
    pub fn flush(&self) {
        let (done, written) = mpsc::channel();
        if self.frames.send(Frame::Flush(done)).is_ok() {
            let _ = written.recv();
        }
    }

    pub fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.into(), params));
    }

    pub fn respond<R: serde::Serialize>(&self, id: RequestId, result: R) {
        self.send(Response::new_ok(id, result));
    }

    pub fn error(&self, id: RequestId, code: ErrorCode, message: impl Into<String>) {
        self.send(Response::new_err(id, code as i32, message.into()));
    }

    pub fn request<R: lsp_types::request::Request>(&self, id: RequestId, params: R::Params) {
        self.send(Request::new(id, R::METHOD.into(), params));
    }

    /// An error for a payload that is no message, so it has no usable id.
    fn reject(&self, id: serde_json::Value, code: ErrorCode, message: String) {
        let body = serde_json::json!({
            "jsonrpc": "2.0",
            "id": id,
            "error": { "code": code as i32, "message": message },
        })
        .to_string();
        let _ = self.frames.send(Frame::Bytes(frame(&body)));
    }
}

fn frame(body: &str) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// Starts the reader and writer threads over stdin and stdout. The receiver
/// ends when stdin does, or at a frame that cannot be read (a broken header).
pub fn stdio() -> (Outbox, Receiver<Message>) {
    let (frames, to_write) = mpsc::channel::<Frame>();
    std::thread::Builder::new()
        .name("perfmod-lsp-writer".into())
        .spawn(move || {
            let mut stdout = io::stdout().lock();
            for frame in to_write {
                match frame {
                    Frame::Bytes(bytes) => {
                        if stdout.write_all(&bytes).and_then(|()| stdout.flush()).is_err() {
                            return;
                        }
                    }
                    Frame::Flush(done) => {
                        let _ = done.send(());
                    }
                }
            }
        })
        .expect("a thread can be started");
    let outbox = Outbox { frames };
    let (incoming, messages) = mpsc::channel();
    let replies = outbox.clone();
    std::thread::Builder::new()
        .name("perfmod-lsp-reader".into())
        .spawn(move || {
            let mut stdin = io::stdin().lock();
            while let Ok(Some(body)) = read_frame(&mut stdin) {
                match parse(&body) {
                    Ok(message) => {
                        let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                        if incoming.send(message).is_err() || exit {
                            return;
                        }
                    }
                    Err((id, code, reason)) => replies.reject(id, code, reason),
                }
            }
        })
        .expect("a thread can be started");
    (outbox, messages)
}

/// A message, or the error response for a payload that is none: not JSON
/// (`ParseError`), or JSON that is no request, response or notification
/// (`InvalidRequest`, with the payload's id when it has one).
fn parse(body: &[u8]) -> Result<Message, (serde_json::Value, ErrorCode, String)> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| (serde_json::Value::Null, ErrorCode::ParseError, format!("not JSON: {e}")))?;
    let id = value.get("id").cloned().unwrap_or(serde_json::Value::Null);
    let invalid = |reason: String| (id.clone(), ErrorCode::InvalidRequest, reason);
    let has = |key: &str| value.get(key).is_some();
    // Decided by the keys present: `lsp-server` would take any object with an
    // `id` for a response.
    let message = match (has("method"), has("id")) {
        (true, true) => serde_json::from_value::<Request>(value).map(Message::Request),
        (true, false) => serde_json::from_value::<Notification>(value).map(Message::Notification),
        (false, true) if has("result") || has("error") => {
            serde_json::from_value::<Response>(value).map(Message::Response)
        }
        _ => return Err(invalid("neither a request, a notification nor a response".into())),
    };
    message.map_err(|e| invalid(format!("not a JSON-RPC message: {e}")))
}

/// One frame's body; `None` at the end of input.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if length.is_some() {
                break;
            }
            continue;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let length = length.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no Content-Length"))?;
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_frames_and_names_bad_payloads() {
        let mut input = io::Cursor::new(b"Content-Length: 2\r\n\r\n{}Content-Length: 1\r\n\r\nx".to_vec());
        let first = read_frame(&mut input).unwrap().unwrap();
        assert!(matches!(
            parse(&first),
            Err((serde_json::Value::Null, ErrorCode::InvalidRequest, _))
        ));
        let second = read_frame(&mut input).unwrap().unwrap();
        assert!(matches!(parse(&second), Err((_, ErrorCode::ParseError, _))));
        assert!(read_frame(&mut input).unwrap().is_none());
        let request = br#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#;
        assert!(matches!(parse(request), Ok(Message::Request(r)) if r.method == "shutdown"));
    }
}
