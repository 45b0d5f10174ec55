/**
 * The run page's only script: it follows /api/runs/:id/events, appends log lines as text (never
 * as markup), updates step badges, and reloads once the run ends so its tests and artifacts show
 * (unless a form is being sent, which brings a page of its own).
 * Allowed by its hash in the Content-Security-Policy, so it is constant text: no interpolation,
 * and no backslashes (the html tag reads the template's cooked text).
 */
import { html } from './html.js';

export const LIVE_LOG_SCRIPT = html`
(function () {
  var panel = document.getElementById('log');
  if (!panel) return;
  var state = document.getElementById('log-state');
  var seen = new Set();
  // A form on its way (Cancel, Rerun) brings its own page: a reload now would drop its answer.
  var submitting = false;
  document.addEventListener('submit', function () { submitting = true; });
  var source = new EventSource(panel.dataset.events);
  function read(message) { return JSON.parse(message.data); }
  function mark(element, status) {
    element.textContent = status;
    element.className = 'badge ' + status;
  }
  source.addEventListener('log', function (message) {
    var data = read(message);
    // A reconnecting EventSource replays the stored lines; show each once.
    var id = data.step + ' ' + data.seq;
    if (seen.has(id)) return;
    seen.add(id);
    var following = panel.scrollTop + panel.clientHeight >= panel.scrollHeight - 8;
    var row = document.createElement('div');
    row.className = 'line ' + (data.stream === 'stderr' ? 'stderr' : 'stdout');
    var key = document.createElement('span');
    key.className = 'key';
    key.textContent = data.step;
    var text = document.createElement('span');
    text.textContent = data.line;
    row.append(key, text);
    panel.append(row);
    if (following) panel.scrollTop = panel.scrollHeight;
    state.textContent = seen.size + ' lines';
  });
  source.addEventListener('step', function (message) {
    var data = read(message);
    document.querySelectorAll('[data-step-status]').forEach(function (element) {
      if (element.dataset.stepStatus === data.step) mark(element, data.status);
    });
  });
  source.addEventListener('end', function (message) {
    source.close();
    var data = read(message);
    var badge = document.getElementById('run-status');
    if (badge) mark(badge, data.status);
    state.textContent = seen.size + ' lines; the run ' + data.status;
    if (panel.dataset.active === 'true' && !submitting) location.reload();
  });
  source.addEventListener('error', function () {
    if (source.readyState === EventSource.CLOSED)
      state.textContent = 'the live log stopped: reload the page (signed out, or the server went away)';
  });
})();
`;
