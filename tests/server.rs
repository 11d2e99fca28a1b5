//! `perfmod server` driven over stdio as an editor drives it: JSON-RPC with
//! LSP framing, diagnostics on open and change, code actions whose edits give
//! exactly what `perfmod fix --stdin-filename` prints, the error answers and
//! the exit codes the spec asks for.
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_perfmod");
const TIMEOUT: Duration = Duration::from_secs(20);

/// A dict + access-order list (one multi-statement rewrite that needs an
/// import) and `.keys()` of a module-level dict literal (a one-line rewrite):
/// both proven safe. scripts/nvim-lsp-check.sh edits the same file in Neovim.
const LRU: &str = include_str!("data/lsp-app.py");

/// Only an unsafe rewrite: `requests.get` in `async def`.
const UNSAFE: &str = "import requests\n\n\nasync def fetch(url):\n    return requests.get(url, timeout=10)\n";

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Messages read while waiting for another one.
    backlog: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start(dir: &Path, initialization_options: Value) -> Client {
        Client::start_with(dir, json!({}), initialization_options)
    }

    fn start_with(dir: &Path, capabilities: Value, initialization_options: Value) -> Client {
        let mut child = Command::new(BIN)
            .arg("server")
            .current_dir(dir)
            .env("PERFMOD_CACHE_DIR", dir.join(".cache"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || loop {
            let mut length = 0;
            loop {
                let mut line = String::new();
                if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if let Some(value) = line.strip_prefix("Content-Length: ") {
                    length = value.trim().parse().unwrap();
                }
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; length];
            stdout.read_exact(&mut body).unwrap();
            if sender.send(serde_json::from_slice(&body).unwrap()).is_err() {
                return;
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages,
            backlog: Vec::new(),
            next_id: 0,
        };
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": capabilities,
                "initializationOptions": initialization_options,
            }),
        );
        assert!(
            result["result"]["capabilities"]["codeActionProvider"].is_object(),
            "{result}"
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send_raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        self.send_raw(&message.to_string());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The whole response (result or error) to a request.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(at);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self
                .messages
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no such message; got {:#?}", self.backlog));
            if wanted(&message) {
                return message;
            }
            self.backlog.push(message);
        }
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}),
        );
    }

    fn code_actions(&mut self, uri: &str, range: Value) -> Vec<Value> {
        let response = self.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": []}}),
        );
        response["result"].as_array().unwrap().clone()
    }

    /// Shuts down (if asked), exits, and returns the exit code.
    fn exit(mut self, shutdown: bool) -> i32 {
        if shutdown {
            let response = self.request("shutdown", Value::Null);
            assert_eq!(response["result"], Value::Null, "{response}");
        }
        self.notify("exit", Value::Null);
        wait_with_timeout(&mut self.child).code().unwrap()
    }
}

fn wait_with_timeout(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let root = dir.path().canonicalize().unwrap();
    (dir, root)
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// What `perfmod fix --stdin-filename PATH` prints for `text`.
fn perfmod_fix(path: &Path, text: &str, unsafe_fixes: bool) -> String {
    let mut command = Command::new(BIN);
    command.args(["fix", "--no-cache", "--stdin-filename"]).arg(path);
    if unsafe_fixes {
        command.arg("--unsafe");
    }
    let mut child = command
        .current_dir(path.parent().unwrap())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
}

/// Applies a workspace edit's text edits (LSP ranges in UTF-16 units; the
/// test texts are ASCII) to `text`.
fn apply(text: &str, edit: &Value) -> String {
    let edits: Vec<Value> = match edit.get("changes") {
        Some(changes) => changes
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .as_array()
            .unwrap()
            .clone(),
        None => edit["documentChanges"][0]["edits"].as_array().unwrap().clone(),
    };
    let offset = |position: &Value| {
        let (line, character) = (
            position["line"].as_u64().unwrap(),
            position["character"].as_u64().unwrap(),
        );
        let line_start: usize = text.split_inclusive('\n').take(line as usize).map(str::len).sum();
        line_start + character as usize
    };
    let mut ranges: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    ranges.sort();
    let mut out = text.to_string();
    for (start, end, new) in ranges.into_iter().rev() {
        out.replace_range(start..end, new);
    }
    out
}

fn titled<'a>(actions: &'a [Value], title: &str) -> Option<&'a Value> {
    actions.iter().find(|a| a["title"] == title)
}

const WHOLE: fn() -> Value = || json!({"start": {"line": 0, "character": 0}, "end": {"line": 999, "character": 0}});

#[test]
fn diagnostics_and_fixes_match_check_and_fix() {
    let (_dir, root) = project(&[("app.py", LRU)]);
    let path = root.join("app.py");
    let uri = uri_of(&path);
    let mut client = Client::start(&root, json!({}));
    client.open(&uri, LRU);
    let diagnostics = client.diagnostics(&uri, 1);
    let codes: Vec<&str> = diagnostics.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["list-lru-cache", "dict-keys-membership"]);
    let keys = &diagnostics[1];
    assert_eq!(keys["range"]["start"], json!({"line": 27, "character": 19}));
    assert_eq!(keys["source"], "perfmod");
    assert_eq!(keys["severity"], 3, "algorithms findings are information");
    assert!(keys["message"]
        .as_str()
        .unwrap()
        .starts_with("`.keys()` is redundant here"));
    assert!(keys["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("codemods/dict-keys-membership/docs.md"));

    // "fix all" is exactly `perfmod fix`, in one minimal edit.
    let expected = perfmod_fix(&path, LRU, false);
    assert_ne!(expected, LRU);
    let actions = client.code_actions(&uri, WHOLE());
    let fix_all = titled(&actions, "perfmod: fix all safe in file").expect("a fix-all action");
    assert_eq!(fix_all["kind"], "source.fixAll.perfmod");
    assert_eq!(apply(LRU, &fix_all["edit"]), expected);

    // The multi-statement rewrite alone: one edit, from its import to its last line.
    let cursor = json!({"start": {"line": 3, "character": 2}, "end": {"line": 3, "character": 2}});
    let actions = client.code_actions(&uri, cursor);
    let lru = titled(&actions, "perfmod: fix list-lru-cache").expect("a quick fix");
    assert_eq!(lru["kind"], "quickfix");
    let edits = lru["edit"]["changes"][&uri].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    let after = apply(LRU, &lru["edit"]);
    assert!(after.contains("from collections import OrderedDict\n"));
    assert!(after.contains("self.cache.popitem(last=False)"));
    assert!(after.contains("FLAGS.keys()"), "only this finding is fixed");
    assert!(titled(&actions, "perfmod: fix dict-keys-membership").is_none());
    assert!(titled(&actions, "perfmod: ignore list-lru-cache on this line").is_some());

    // The document as fixed: no findings left; then broken: none either.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": expected}]}),
    );
    assert_eq!(client.diagnostics(&uri, 2), Vec::<Value>::new());
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": "def f(:\n    return name in {}.keys()\n"}]}),
    );
    assert_eq!(client.diagnostics(&uri, 3), Vec::<Value>::new());
    // The file on disk was never written.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), LRU);
    assert_eq!(client.exit(true), 0);
}

#[test]
fn incremental_changes_and_close() {
    let (_dir, root) = project(&[]);
    let uri = uri_of(&root.join("new.py"));
    let mut client = Client::start(&root, json!({}));
    client.open(&uri, "def f(name):\n    flags = {'debug': True}\n    pass\n");
    assert!(client.diagnostics(&uri, 1).is_empty());
    // Replace `pass` with a `.keys()` membership test: an incremental change.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 2, "character": 4}, "end": {"line": 2, "character": 8}}, "text": "return name in flags.keys()"}
        ]}),
    );
    let diagnostics = client.diagnostics(&uri, 2);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0]["range"]["start"], json!({"line": 2, "character": 19}));
    // The ignore comment silences it.
    let actions = client.code_actions(&uri, diagnostics[0]["range"].clone());
    let ignore = titled(&actions, "perfmod: ignore dict-keys-membership on this line").unwrap();
    let text = "def f(name):\n    flags = {'debug': True}\n    return name in flags.keys()\n";
    let ignored = apply(text, &ignore["edit"]);
    assert_eq!(
        ignored,
        "def f(name):\n    flags = {'debug': True}\n    return name in flags.keys()  # perfmod: ignore[dict-keys-membership]\n"
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": ignored}]}),
    );
    assert!(client.diagnostics(&uri, 3).is_empty());
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": text}]}),
    );
    assert_eq!(client.diagnostics(&uri, 4).len(), 1);
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    let closed = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["version"].is_null()
    });
    assert_eq!(closed["params"]["diagnostics"], json!([]));
    assert_eq!(client.exit(true), 0);
}

#[test]
fn crlf_and_non_ascii_documents() {
    let text = "def f(name):\r\n    flags = {'debug': True}\r\n    s = 'é𝄞'; return name in flags.keys()\r\n";
    let (_dir, root) = project(&[]);
    let path = root.join("crlf.py");
    let uri = uri_of(&path);
    let mut client = Client::start(&root, json!({}));
    client.open(&uri, text);
    let diagnostics = client.diagnostics(&uri, 1);
    // Columns count UTF-16 units: `é` is one, `𝄞` two.
    assert_eq!(diagnostics[0]["range"]["start"], json!({"line": 2, "character": 30}));
    let actions = client.code_actions(&uri, WHOLE());
    let fix_all = titled(&actions, "perfmod: fix all safe in file").unwrap();
    let edit = &fix_all["edit"]["changes"][&uri][0];
    // The edit's range in UTF-16 units, applied by hand.
    assert_eq!(
        edit["range"]["start"],
        json!({"line": 2, "character": 35}),
        "deletes `.keys()`"
    );
    let expected = perfmod_fix(&path, text, false);
    assert!(expected.contains("return name in flags\r\n"), "{expected:?}");
    let start_line: Vec<&str> = text.split_inclusive('\n').collect();
    let utf16_to_byte = |line: usize, character: usize| {
        let line_text = start_line[line];
        let mut units = 0;
        let mut at = 0;
        for (i, c) in line_text.char_indices() {
            if units >= character {
                at = i;
                break;
            }
            units += c.len_utf16();
            at = i + c.len_utf8();
        }
        start_line[..line].iter().map(|l| l.len()).sum::<usize>() + at
    };
    let position = |p: &Value| {
        utf16_to_byte(
            p["line"].as_u64().unwrap() as usize,
            p["character"].as_u64().unwrap() as usize,
        )
    };
    let (start, end) = (position(&edit["range"]["start"]), position(&edit["range"]["end"]));
    let mut fixed = text.to_string();
    fixed.replace_range(start..end, edit["newText"].as_str().unwrap());
    assert_eq!(fixed, expected);
    assert_eq!(client.exit(true), 0);
}

#[test]
fn a_burst_of_edits_ends_with_the_newest_version() {
    let (_dir, root) = project(&[]);
    let uri = uri_of(&root.join("burst.py"));
    let mut client = Client::start(&root, json!({}));
    client.open(&uri, LRU);
    for version in 2..=6 {
        let text = format!("{LRU}{}", "\n".repeat(version));
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }
    // Checks of older versions may be published before, never after, the newest.
    client.diagnostics(&uri, 6);
    let response = client.request("shutdown", Value::Null);
    assert_eq!(response["result"], Value::Null);
    let published: Vec<i64> = client
        .backlog
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .map(|m| m["params"]["version"].as_i64().unwrap())
        .collect();
    assert!(published.windows(2).all(|w| w[0] < w[1]), "{published:?}");
    assert!(published.iter().all(|v| *v < 6), "{published:?}");
    client.notify("exit", Value::Null);
    assert_eq!(wait_with_timeout(&mut client.child).code(), Some(0));
}

#[test]
fn unsafe_fixes_only_when_the_client_allows_them() {
    let (_dir, root) = project(&[("fetch.py", UNSAFE)]);
    let path = root.join("fetch.py");
    let uri = uri_of(&path);
    let mut client = Client::start(&root, json!({}));
    client.open(&uri, UNSAFE);
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(diagnostics[0]["code"], "blocking-io-in-async");
    assert_eq!(diagnostics[0]["severity"], 2, "concurrency findings are warnings");
    assert!(diagnostics[0]["message"]
        .as_str()
        .unwrap()
        .ends_with("[unsafe fix: set `unsafe` to offer it]"));
    let actions = client.code_actions(&uri, WHOLE());
    let titles: Vec<&str> = actions.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["perfmod: ignore blocking-io-in-async on this line"]);
    assert_eq!(client.exit(true), 0);

    let mut client = Client::start(&root, json!({"unsafe": true}));
    client.open(&uri, UNSAFE);
    client.diagnostics(&uri, 1);
    let actions = client.code_actions(&uri, WHOLE());
    let fix = titled(&actions, "perfmod: fix blocking-io-in-async (unsafe)").expect("the unsafe fix");
    assert_eq!(fix["isPreferred"], false);
    let fix_all = titled(&actions, "perfmod: fix all in file (unsafe included)").unwrap();
    assert_eq!(apply(UNSAFE, &fix_all["edit"]), perfmod_fix(&path, UNSAFE, true));
    assert_eq!(client.exit(true), 0);
}

#[test]
fn configuration_is_read_and_reloaded() {
    let (_dir, root) = project(&[
        (
            "pyproject.toml",
            "[tool.perfmod]\nignore = [\"dict-keys-membership\"]\n",
        ),
        ("app.py", LRU),
    ]);
    let uri = uri_of(&root.join("app.py"));
    let mut client = Client::start(&root, json!({}));
    client.open(&uri, LRU);
    let codes = |d: Vec<Value>| {
        d.iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(codes(client.diagnostics(&uri, 1)), ["list-lru-cache"]);
    // An edited pyproject.toml applies at the next check (here, a save).
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(root.join("pyproject.toml"), "[tool.perfmod]\n").unwrap();
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": uri}}));
    assert_eq!(
        codes(client.diagnostics(&uri, 1)),
        ["list-lru-cache", "dict-keys-membership"]
    );
    // The client's `select` narrows the rules.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"perfmod": {"select": ["dict-keys-membership"]}}}),
    );
    assert_eq!(codes(client.diagnostics(&uri, 1)), ["dict-keys-membership"]);
    assert_eq!(client.exit(true), 0);
}

#[test]
fn hover_and_commands() {
    let (_dir, root) = project(&[("app.py", LRU)]);
    let uri = uri_of(&root.join("app.py"));
    let mut client = Client::start(&root, json!({}));
    client.open(&uri, LRU);
    client.diagnostics(&uri, 1);
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 27, "character": 22}}),
    );
    let docs = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(docs.starts_with("# dict-keys-membership (algorithms, safe"), "{docs}");
    let nothing = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(nothing["result"], Value::Null);

    let shown = client.request(
        "workspace/executeCommand",
        json!({"command": "perfmod.showRuleDocs", "arguments": ["readlines-loop"]}),
    );
    assert!(shown["result"].as_str().unwrap().starts_with("# readlines-loop"));
    client.request(
        "workspace/executeCommand",
        json!({"command": "perfmod.applyFixAll", "arguments": [uri]}),
    );
    let apply_edit = client.wait_for(|m| m["method"] == "workspace/applyEdit");
    assert_eq!(
        apply(LRU, &apply_edit["params"]["edit"]),
        perfmod_fix(&root.join("app.py"), LRU, false)
    );
    assert_eq!(client.exit(true), 0);
}

#[test]
fn lazy_clients_get_edits_on_resolve() {
    let (_dir, root) = project(&[("app.py", LRU)]);
    let path = root.join("app.py");
    let uri = uri_of(&path);
    let capabilities = json!({
        "textDocument": {"codeAction": {"dataSupport": true, "resolveSupport": {"properties": ["edit"]}}},
        "workspace": {"workspaceEdit": {"documentChanges": true}},
    });
    let mut client = Client::start_with(&root, capabilities, json!({}));
    client.open(&uri, LRU);
    client.diagnostics(&uri, 1);
    let actions = client.code_actions(&uri, WHOLE());
    assert!(actions.iter().all(|a| a.get("edit").is_none()), "{actions:#?}");
    let fix_all = titled(&actions, "perfmod: fix all safe in file").unwrap().clone();
    let resolved = client.request("codeAction/resolve", fix_all.clone());
    let edit = &resolved["result"]["edit"];
    assert_eq!(
        edit["documentChanges"][0]["textDocument"]["version"], 1,
        "the edit names its version"
    );
    assert_eq!(apply(LRU, edit), perfmod_fix(&path, LRU, false));
    // Offered for version 1, resolved after an edit: refused.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": format!("{LRU}\n")}]}),
    );
    let stale = client.request("codeAction/resolve", fix_all);
    assert_eq!(stale["error"]["code"], -32801, "{stale}");
    assert_eq!(client.exit(true), 0);
}

#[test]
fn malformed_messages_get_error_responses_and_the_server_goes_on() {
    let (_dir, root) = project(&[]);
    let mut client = Client::start(&root, json!({}));
    // Parameters of the wrong shape.
    let bad = client.request("textDocument/codeAction", json!({"textDocument": 3}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    // An unknown method.
    let unknown = client.request("perfmod/nothing", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    // Not JSON at all, then JSON that is no message.
    client.send_raw("{not json");
    let parse_error = client.wait_for(|m| m["error"]["code"] == -32700);
    assert_eq!(parse_error["id"], Value::Null);
    client.send_raw(r#"{"jsonrpc": "2.0", "id": 77, "params": {}}"#);
    let invalid = client.wait_for(|m| m["error"]["code"] == -32600);
    assert_eq!(invalid["id"], 77);
    // A document that is not open.
    let closed = client.code_actions_response("file:///nowhere.py");
    assert_eq!(closed["error"]["code"], -32602);
    assert_eq!(client.exit(true), 0);
}

impl Client {
    fn code_actions_response(&mut self, uri: &str) -> Value {
        self.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": WHOLE(), "context": {"diagnostics": []}}),
        )
    }
}

#[test]
fn exit_codes_follow_the_spec() {
    let (_dir, root) = project(&[]);
    let client = Client::start(&root, json!({}));
    assert_eq!(client.exit(true), 0);
    let client = Client::start(&root, json!({}));
    assert_eq!(client.exit(false), 1);
    // Requests before `initialize` are refused.
    let mut child = Command::new(BIN)
        .arg("server")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}}"#;
    let mut stdin = child.stdin.take().unwrap();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("-32002"));
    assert_eq!(output.status.code(), Some(1), "input ended without exit");
}
