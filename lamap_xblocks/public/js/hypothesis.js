/* The hypothesis step: hypotheses stated, submitted, then revisited against the evidence. */
function LamapHypothesisBlock(runtime, element, args) {
  'use strict';
  var common = window.LamapXBlocksCommon;
  if (args.view === 'studio') {
    return common.studioEditor(runtime, element, args);
  }
  var root = common.rootOf(element);
  var list = root.querySelector('[data-list="hypotheses"]');
  var feedback = root.querySelector('.lamap-feedback');
  var status = root.querySelector('.lamap-status');

  function newId() {
    return 'h' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  }

  function collect() {
    return {
      hypotheses: common.ownItems(list).map(function (item) {
        if (!item.getAttribute('data-id')) { item.setAttribute('data-id', newId()); }
        var checked = item.querySelector('[data-item-field="confidence"]:checked');
        return {
          id: item.getAttribute('data-id'),
          idea: common.itemText(item, 'idea'),
          reason: common.itemText(item, 'reason'),
          prediction: common.itemText(item, 'prediction'),
          confidence: checked ? parseInt(checked.value, 10) : null
        };
      })
    };
  }

  /* Submitted hypotheses are kept with their versions: they lose their Remove button. */
  function afterSave(reply) {
    var kept = {};
    (reply.state.hypotheses || []).forEach(function (item) {
      if (item.versions && item.versions.length) { kept[item.id] = true; }
    });
    common.ownItems(list).forEach(function (item) {
      var remove = item.querySelector('[data-list-action="remove"]');
      if (remove && kept[item.getAttribute('data-id')]) {
        remove.parentNode.removeChild(remove);
      }
    });
  }

  var page = common.step(runtime, element, args, {collect: collect, afterSave: afterSave});

  feedback.addEventListener('click', function (event) {
    var button = event.target.closest('[data-revise]');
    if (!button) { return; }
    var card = button.closest('[data-hypothesis-id]');
    var id = button.getAttribute('data-revise');
    var verdict = card.querySelector('[data-revise-field="verdict"]:checked');
    var payload = {
      id: id,
      verdict: verdict ? verdict.value : '',
      justification: card.querySelector('[data-revise-field="justification"]').value,
      confidence: parseInt(card.querySelector('[data-revise-field="confidence"]').value, 10)
    };
    button.disabled = true;
    common.post(runtime, element, 'revise_hypothesis', payload).then(function (reply) {
      page.showError('');
      feedback.innerHTML = reply.feedback_html;
      common.announce(status, reply.message);
      // The revisit may change the confidence: keep the statement form in step with it.
      var item = list.querySelector('[data-id="' + id + '"]');
      var radio = item && item.querySelector('[data-item-field="confidence"][value="' + payload.confidence + '"]');
      if (radio) { radio.checked = true; }
      var title = feedback.querySelector('[data-hypothesis-id="' + id + '"] .lamap-card-title');
      if (title) { title.focus(); }
    }, function (error) {
      button.disabled = false;
      common.alertWith(root.querySelector('.lamap-error'), error.message);
    });
  });
}
