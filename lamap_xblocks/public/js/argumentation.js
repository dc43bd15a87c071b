/* The argumentation step: claim, cited evidence, reasoning, limitations, the hypothesis revisited (peer feedback: lamap_common.js). */
function LamapArgumentationBlock(runtime, element, args) {
  'use strict';
  var common = window.LamapXBlocksCommon;
  if (args.view === 'studio') {
    return common.studioEditor(runtime, element, args);
  }
  var root = common.rootOf(element);
  var evidence = root.querySelector('[data-list="evidence"]');

  function collect() {
    var confidence = common.fieldValue(root, 'confidence_now');
    return {
      claim: common.fieldValue(root, 'claim'),
      evidence: common.listValues(evidence, function (item) {
        return {text: common.itemText(item), source: common.itemText(item, 'source')};
      }),
      reasoning: common.fieldValue(root, 'reasoning'),
      limitations: common.fieldValue(root, 'limitations'),
      criteria_checked: Array.prototype.filter.call(root.querySelectorAll('[data-criterion]'), function (box) {
        return box.checked;
      }).map(function (box) { return parseInt(box.value, 10); }),
      hypothesis_verdict: common.fieldValue(root, 'hypothesis_verdict'),
      confidence_now: confidence === '' ? null : parseInt(confidence, 10),
      verdict_reason: common.fieldValue(root, 'verdict_reason'),
      self_scores: common.rubricScores(root.querySelector('[data-rubric-self]'))
    };
  }

  var step = common.step(runtime, element, args, {collect: collect});

  // Cite a recorded result: into the first empty evidence item, else a new one.
  root.addEventListener('click', function (event) {
    var button = event.target.closest('[data-cite]');
    if (!button) { return; }
    var text = button.parentNode.querySelector('[data-cite-text]').textContent;
    var source = button.getAttribute('data-cite');
    var item = common.ownItems(evidence).filter(function (candidate) {
      return !common.itemText(candidate).trim();
    })[0];
    if (item) {
      item.querySelector('[data-item-field="text"]').value = text;
      item.querySelector('[data-item-field="source"]').value = source;
    } else if (common.ownItems(evidence).length < parseInt(evidence.getAttribute('data-max') || '99', 10)) {
      item = common.addItem(evidence, {text: text, source: source});
    }
    if (!item) {
      common.announce(root.querySelector('.lamap-status'), common.gettext('Your evidence list is full: empty an item to cite this.'));
      return;
    }
    common.announce(root.querySelector('.lamap-status'), common.gettext('Added to your evidence.'));
    var field = item.querySelector('[data-item-field="text"]');
    if (field) { field.focus(); }
    step.changed();
  });
}
