/* The notebook: private notes saved like a draft (button and autosave), and printing. */
function LamapNotebookBlock(runtime, element, args) {
  'use strict';
  var common = window.LamapXBlocksCommon;
  if (args.view === 'studio') {
    return common.studioEditor(runtime, element, args);
  }
  var root = common.rootOf(element);
  common.step(runtime, element, args, {
    collect: function () { return {notes: common.fieldValue(root, 'notes')}; }
  });
  // Staff: the dashboard's filters and pages, redrawn by the server.
  var board = root.querySelector('[data-dashboard]');
  function showPage(page) {
    var chosen = function (kind) {
      return Array.prototype.filter.call(board.querySelectorAll('[data-filter="' + kind + '"]'), function (box) {
        return box.checked;
      }).map(function (box) { return box.value; });
    };
    common.post(runtime, element, 'dashboard_page', {page: page, submitted: chosen('submitted'), missing: chosen('missing')})
      .then(function (reply) {
        board.innerHTML = reply.html;
        common.focusOn(board.querySelector('.lamap-grid caption'));
      }, function (error) {
        common.alertWith(board.querySelector('.lamap-dashboard-error'), error.message);
      });
  }
  if (board) {
    board.addEventListener('submit', function (event) {
      event.preventDefault();
      showPage(1);
    });
    board.addEventListener('click', function (event) {
      var button = event.target.closest('[data-dashboard-page]');
      if (button && !button.disabled) { showPage(parseInt(button.getAttribute('data-dashboard-page'), 10)); }
      var learner = event.target.closest('[data-learner]');
      if (learner) {
        common.post(runtime, element, 'learner_view', {learner: learner.getAttribute('data-learner')}).then(function (reply) {
          var panel = board.querySelector('[data-learner-view]');
          panel.innerHTML = reply.html;
          common.focusOn(panel.querySelector('.lamap-card-title'));
        }, function (error) {
          common.alertWith(board.querySelector('.lamap-dashboard-error'), error.message);
        });
      }
    });
  }
  root.querySelector('[data-notebook-action="print"]').addEventListener('click', function () {
    // Earlier versions are printed too: open every <details> first.
    root.querySelectorAll('details').forEach(function (details) { details.open = true; });
    window.print();
  });
}
