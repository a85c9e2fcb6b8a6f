// The report and fleet webviews' only script (loaded with the page's CSP nonce).
// It never builds HTML: buttons carry a fixed command name (and, in the fleet
// table, the host of their row); the extension validates every message.
/* global acquireVsCodeApi, document */
(function () {
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', (event) => {
    const target = event.target;
    const button = target && typeof target.closest === 'function' ? target.closest('button[data-command]') : null;
    if (!button || button.disabled) return;
    const message = { command: button.getAttribute('data-command') };
    const host = button.getAttribute('data-host');
    if (host !== null) message.host = host;
    vscode.postMessage(message);
  });
})();
