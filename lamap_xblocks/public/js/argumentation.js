/* The argumentation step: claim, cited evidence, reasoning, limitations, the hypothesis revisited, peer feedback. */
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
      self_scores: rubricScores(root.querySelector('[data-rubric-self]'))
    };
  }

  /* The levels chosen in a rubric form: {"1": level index, ...} ({} without a rubric). */
  function rubricScores(form) {
    var scores = {};
    if (!form) { return scores; }
    form.querySelectorAll('[data-rubric-criterion]').forEach(function (radio) {
      if (radio.checked) { scores[radio.getAttribute('data-rubric-criterion')] = parseInt(radio.value, 10); }
    });
    return scores;
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

  // Peer feedback: each card sends its own comments.
  root.addEventListener('click', function (event) {
    var button = event.target.closest('[data-review-action="send"]');
    if (!button) { return; }
    var card = button.closest('[data-review]');
    common.post(runtime, element, 'submit_peer_review', {
      review: parseInt(card.getAttribute('data-review'), 10),
      criteria_met: Array.prototype.filter.call(card.querySelectorAll('[data-review-criterion]'), function (box) {
        return box.checked;
      }).map(function (box) { return parseInt(box.value, 10); }),
      comment: card.querySelector('[data-review-comment]').value,
      scores: rubricScores(card.querySelector('[data-review-rubric]'))
    }).then(function (reply) {
      var feedback = root.querySelector('.lamap-feedback');
      feedback.innerHTML = reply.feedback_html;
      common.focusOn(feedback.querySelector('#' + card.getAttribute('aria-labelledby')));
      common.announce(feedback.querySelector('.lamap-peer-status'), reply.message);
    }, function (error) {
      common.alertWith(root.querySelector('.lamap-peer-error'), error.message);
    });
  });

  // Staff: score a submission with the rubric, from the staff panel.
  root.addEventListener('click', function (event) {
    var button = event.target.closest('[data-staff-action="score"]');
    if (!button) { return; }
    var form = button.closest('[data-staff-score]');
    var status = form.querySelector('.lamap-status');
    common.post(runtime, element, 'score_with_rubric', {
      learner: form.getAttribute('data-staff-score'),
      scores: rubricScores(form),
      comment: form.querySelector('[data-staff-comment]').value
    }).then(function (reply) {
      common.announce(status, reply.message);
    }, function (error) {
      common.announce(status, error.message);
    });
  });
}
