// The whole extension: start `perfmod server` for Python files and pass the
// `perfmod.*` settings on. Everything else (diagnostics, quick fixes, "fix
// all" on save via source.fixAll.perfmod, hovers) is the server's.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function settings() {
  const config = vscode.workspace.getConfiguration("perfmod");
  return { unsafe: config.get("unsafe"), select: config.get("select") };
}

async function activate(context) {
  const command = vscode.workspace.getConfiguration("perfmod").get("path");
  client = new LanguageClient(
    "perfmod",
    "perfmod",
    { command, args: ["server"] },
    {
      documentSelector: [{ language: "python" }],
      initializationOptions: settings(),
      synchronize: { configurationSection: "perfmod" },
    },
  );
  context.subscriptions.push(
    vscode.commands.registerCommand("perfmod.fixAll", () => {
      const editor = vscode.window.activeTextEditor;
      if (editor) {
        return client.sendRequest("workspace/executeCommand", {
          command: "perfmod.applyFixAll",
          arguments: [editor.document.uri.toString()],
        });
      }
    }),
  );
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
