/* The question step: the learner's questions, the one chosen, and whether an experiment could answer it. */
function LamapQuestionBlock(runtime, element, args) {
  'use strict';
  var common = window.LamapXBlocksCommon;
  if (args.view === 'studio') {
    return common.studioEditor(runtime, element, args);
  }
  var root = common.rootOf(element);
  var list = root.querySelector('[data-list="questions"]');

  function collect() {
    var chosen = null;
    var questions = common.listValues(list, function (item) { return common.itemText(item); });
    common.ownItems(list).forEach(function (item, index) {
      var radio = item.querySelector('[data-item-field="chosen"]');
      if (radio && radio.checked) { chosen = index; }
    });
    return {
      questions: questions,
      chosen_question: chosen,
      testable: common.fieldValue(root, 'testable'),
      testable_reason: common.fieldValue(root, 'testable_reason')
    };
  }

  common.step(runtime, element, args, {collect: collect});
}
