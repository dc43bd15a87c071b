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
  root.querySelector('[data-notebook-action="print"]').addEventListener('click', function () {
    // Earlier versions are printed too: open every <details> first.
    root.querySelectorAll('details').forEach(function (details) { details.open = true; });
    window.print();
  });
}
