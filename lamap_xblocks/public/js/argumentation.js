/* The argumentation step: claim, evidence, reasoning, limitations, and the criteria checklist. */
function LamapArgumentationBlock(runtime, element, args) {
  'use strict';
  var common = window.LamapXBlocksCommon;
  if (args.view === 'studio') {
    return common.studioEditor(runtime, element, args);
  }
  var root = common.rootOf(element);
  var evidence = root.querySelector('[data-list="evidence"]');

  function collect() {
    return {
      claim: common.fieldValue(root, 'claim'),
      evidence: common.listValues(evidence, function (item) { return {text: common.itemText(item)}; }),
      reasoning: common.fieldValue(root, 'reasoning'),
      limitations: common.fieldValue(root, 'limitations'),
      criteria_checked: Array.prototype.filter.call(root.querySelectorAll('[data-criterion]'), function (box) {
        return box.checked;
      }).map(function (box) { return parseInt(box.value, 10); })
    };
  }

  common.step(runtime, element, args, {collect: collect});
}
