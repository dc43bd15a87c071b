/* The notebook: private notes saved like a draft (button and autosave), and printing. */
function LamapNotebookBlock(runtime, element, args) {
  'use strict';
  var common = window.LamapXBlocksCommon;
  if (args.view === 'studio') {
    return common.studioEditor(runtime, element, args);
  }
  var root = common.rootOf(element);
  var synthesis = root.querySelector('[data-synthesis]');
  common.step(runtime, element, args, {
    collect: function () { return {notes: common.fieldValue(root, 'notes')}; },
    // The course's synthesis appears once the learner has written their own.
    afterSave: function (reply) {
      if (synthesis && reply.synthesis_html) { synthesis.innerHTML = reply.synthesis_html; }
    }
  });
  // Staff: the dashboard's filters and pages, redrawn by the server.
  var board = root.querySelector('[data-dashboard]');
  function investigation() {
    return board.querySelector('.lamap-dashboard-body').getAttribute('data-investigation');
  }
  function failed(error) {
    common.alertWith(board.querySelector('.lamap-dashboard-error'), error.message);
  }
  function showInvestigation(key) {
    common.post(runtime, element, 'dashboard_view', {investigation: key}).then(function (reply) {
      board.innerHTML = reply.html;
      common.focusOn(board.querySelector('[data-dashboard-investigation]'));
    }, failed);
  }
  function showPage(page) {
    var chosen = function (kind) {
      return Array.prototype.filter.call(board.querySelectorAll('[data-filter="' + kind + '"]'), function (box) {
        return box.checked;
      }).map(function (box) { return box.value; });
    };
    var request = {
      page: page,
      submitted: chosen('submitted'),
      missing: chosen('missing'),
      order: board.querySelector('[data-dashboard-order]').value,
      investigation: investigation()
    };
    common.post(runtime, element, 'dashboard_page', request).then(function (reply) {
      var grid = board.querySelector('[data-dashboard-grid]');
      grid.innerHTML = reply.html;
      common.focusOn(grid.querySelector('.lamap-grid caption'));
    }, failed);
  }
  if (board) {
    board.addEventListener('submit', function (event) {
      event.preventDefault();
      if (event.target.matches('[data-dashboard-choice]')) {
        showInvestigation(event.target.querySelector('[data-dashboard-investigation]').value);
      } else {
        showPage(1);
      }
    });
    board.addEventListener('click', function (event) {
      var button = event.target.closest('[data-dashboard-page]');
      if (button && !button.disabled) { showPage(parseInt(button.getAttribute('data-dashboard-page'), 10)); }
      var learner = event.target.closest('[data-learner]');
      if (learner) {
        var request = {learner: learner.getAttribute('data-learner'), investigation: investigation()};
        common.post(runtime, element, 'learner_view', request).then(function (reply) {
          var panel = board.querySelector('[data-learner-view]');
          panel.innerHTML = reply.html;
          common.focusOn(panel.querySelector('.lamap-card-title'));
        }, failed);
      }
    });
  }
  root.querySelector('[data-notebook-action="print"]').addEventListener('click', function () {
    // Earlier versions are printed too: open every <details> first.
    root.querySelectorAll('details').forEach(function (details) { details.open = true; });
    window.print();
  });
}
