-- Driven by scripts/nvim-lsp-check.sh: opens $NVIM_CHECK_FILE, starts
-- `$PERFMOD server` with Neovim's built-in LSP client, waits for perfmod's
-- diagnostics, applies the code action titled $NVIM_CHECK_ACTION through
-- vim.lsp.buf.code_action (the path a user's keypress takes), writes the
-- buffer, waits for the diagnostics to clear, and quits (exit code 1 on any
-- failure). Works from Neovim 0.7 (vim.lsp.start_client) to 0.11+ (vim.lsp.start).
local perfmod = os.getenv("PERFMOD")
local file = os.getenv("NVIM_CHECK_FILE")
local wanted = os.getenv("NVIM_CHECK_ACTION") or "perfmod: fix all safe in file"

local function say(message)
  io.stdout:write(message .. "\n")
end

local function fail(message)
  io.stderr:write("nvim-lsp-check: " .. message .. "\n")
  vim.cmd("cquit 1")
end

vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local config = { name = "perfmod", cmd = { perfmod, "server" }, root_dir = vim.fn.fnamemodify(file, ":h") }
local client_id
if vim.lsp.start then
  client_id = vim.lsp.start(config)
else
  client_id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(buf, client_id)
end
if not client_id then
  fail("the client did not start")
end

if not vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 20) then
  fail("no diagnostics within 20 s")
end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  say(string.format("diagnostic %d:%d %s: %s", d.lnum + 1, d.col + 1, d.code or d.user_data.lsp.code, d.message))
end

-- The code-action menu, answered by picking the wanted title.
local applied = false
vim.ui.select = function(items, _, on_choice)
  for index, item in ipairs(items) do
    local action = item.action or item[2]
    if action.title == wanted then
      applied = true
      return on_choice(item, index)
    end
  end
  fail("no code action titled '" .. wanted .. "'")
end
vim.api.nvim_win_set_cursor(0, { 1, 0 })
vim.lsp.buf.code_action()
if not vim.wait(20000, function() return applied and vim.bo[buf].modified end, 20) then
  fail("the code action was not applied")
end
vim.cmd("silent write")
if not vim.wait(20000, function() return #vim.diagnostic.get(buf) == 0 end, 20) then
  fail("diagnostics remain after the fix")
end
say("applied '" .. wanted .. "' and wrote " .. file)
vim.lsp.stop_client(client_id)
vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
vim.cmd("qall!")
