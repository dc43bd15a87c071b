/*
 * Shared helper of the lamap-xblocks step blocks. Defines one global,
 * LamapXBlocksCommon; each block's own module calls it from its init function.
 *
 * - i18n: gettext through the LamapI18N catalog (the platform's OEP-58 catalog or ours);
 * - post(): JSON to a handler, with Django's CSRF token, errors as readable messages;
 * - lists: add, remove and reorder repeated items, with labels renumbered and focus kept;
 * - step(): save draft, autosave, submit, status and error announcements.
 * The Studio editor is in studio.js, loaded by the editor only (learners never download it).
 */
window.LamapXBlocksCommon = (function () {
  'use strict';

  function catalog() {
    return window.LamapI18N || null;
  }

  function gettext(message) {
    var i18n = catalog();
    return i18n && i18n.gettext ? i18n.gettext(message) : message;
  }

  function ngettext(singular, plural, count) {
    var i18n = catalog();
    if (i18n && i18n.ngettext) {
      return i18n.ngettext(singular, plural, count);
    }
    return count === 1 ? singular : plural;
  }

  /* "Row {number}" + {number: 2} -> "Row 2" (Python's str.format names, no positions). */
  function format(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  function rootOf(element) {
    // Runtimes hand over a DOM element or a jQuery wrapper of one.
    return element && element.jquery ? element[0] : element;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : '';
  }

  /* POST JSON to a handler; resolves with the reply, rejects with an Error whose message a person can read. */
  function post(runtime, element, handler, payload) {
    var url = runtime.handlerUrl(element, handler);
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        'X-CSRFToken': csrfToken(),
        'X-Requested-With': 'XMLHttpRequest'
      },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var error = new Error(typeof data.error === 'string' ? data.error :
            format(gettext('The server could not accept this (error {status}). Your work is still on this page; try again.'),
              {status: response.status}));
          error.status = response.status;
          error.data = data;
          throw error;
        }
        return data;
      });
    }, function () {
      throw new Error(gettext('The server could not be reached. Your work is still on this page: check your connection and try again.'));
    });
  }

  /* Announce through a live region: clearing first makes a repeated message heard again. */
  function announce(region, message) {
    if (!region) { return; }
    region.textContent = '';
    window.setTimeout(function () { region.textContent = message; }, 50);
  }

  /* Move the focus to an element that is not a control (a heading, an alert). */
  function focusOn(target) {
    if (!target) { return; }
    target.setAttribute('tabindex', '-1');
    target.focus();
  }

  /* Show a refusal in an alert region and take the focus there, so it is read at once. */
  function alertWith(box, message) {
    box.textContent = message;
    focusOn(box);
  }

  /* ----- repeated items ------------------------------------------------------------ */

  function ownItems(list) {
    var container = list.querySelector('.lamap-list-items');
    return Array.prototype.filter.call(container.children, function (item) {
      return item.classList.contains('lamap-list-item');
    });
  }

  function renumber(list) {
    var items = ownItems(list);
    var min = parseInt(list.getAttribute('data-min') || '0', 10);
    var max = parseInt(list.getAttribute('data-max') || '1000', 10);
    items.forEach(function (item, index) {
      item.querySelectorAll('[data-numbered]').forEach(function (node) {
        if (node.closest('.lamap-list') === list) {
          node.textContent = format(node.getAttribute('data-numbered'), {number: index + 1});
        }
      });
      item.querySelectorAll('[data-numbered-label]').forEach(function (node) {
        if (node.closest('.lamap-list') === list) {
          node.setAttribute('aria-label', format(node.getAttribute('data-numbered-label'), {number: index + 1}));
        }
      });
      toggle(item, '[data-list-action="remove"]', items.length <= min);
      toggle(item, '[data-list-action="up"]', index === 0);
      toggle(item, '[data-list-action="down"]', index === items.length - 1);
    });
    var add = ownControl(list, '[data-list-action="add"]');
    if (add) { add.disabled = items.length >= max; }
  }

  function toggle(item, selector, disabled) {
    item.querySelectorAll(selector).forEach(function (button) { button.disabled = disabled; });
  }

  function ownControl(list, selector) {
    var found = null;
    list.querySelectorAll(selector).forEach(function (node) {
      if (!found && node.closest('.lamap-list') === list && !node.closest('.lamap-list-item')) { found = node; }
    });
    return found;
  }

  function firstField(item) {
    return item.querySelector('input:not([type="radio"]):not([type="checkbox"]):not([type="hidden"]), textarea, select') ||
      item.querySelector('input:not([type="hidden"])');
  }

  function itemName(list, index) {
    return format(list.getAttribute('data-item-name') || gettext('Item {number}'), {number: index + 1});
  }

  /*
   * Add an item from the list's <template>; "__INDEX__" in it becomes a number never
   * used before in this list, so ids stay unique however items are added and removed.
   */
  function addItem(list, values) {
    var template = ownControl(list, 'template.lamap-list-template') ||
      list.querySelector('template.lamap-list-template');
    var next = parseInt(list.getAttribute('data-next') || String(ownItems(list).length), 10);
    list.setAttribute('data-next', String(next + 1));
    // A <template> parses table rows as well as list items, where a <div> would drop <tr>.
    var holder = document.createElement('template');
    holder.innerHTML = template.innerHTML.replace(/__INDEX__/g, String(next));
    var item = holder.content.querySelector('.lamap-list-item');
    list.querySelector('.lamap-list-items').appendChild(item);
    if (values) { fillItem(item, values); }
    renumber(list);
    return item;
  }

  function fillItem(item, values) {
    Object.keys(values).forEach(function (key) {
      var field = item.querySelector('[data-item-field="' + key + '"]');
      if (field) { field.value = values[key] === null || values[key] === undefined ? '' : values[key]; }
    });
  }

  function setupList(list, onChange, liveRegion) {
    if (list.getAttribute('data-list-ready')) { return; }
    list.setAttribute('data-list-ready', 'true');
    renumber(list);
    list.addEventListener('click', function (event) {
      var button = event.target.closest('[data-list-action]');
      if (!button || button.closest('.lamap-list') !== list || button.disabled) { return; }
      var action = button.getAttribute('data-list-action');
      var item = button.closest('.lamap-list-item');
      var items = ownItems(list);
      var index = items.indexOf(item);
      if (action === 'add') {
        var added = addItem(list);
        announce(liveRegion, format(gettext('{item} added.'), {item: itemName(list, ownItems(list).length - 1)}));
        var field = firstField(added);
        if (field) { field.focus(); }
      } else if (action === 'remove') {
        var name = itemName(list, index);
        var neighbour = items[index + 1] || items[index - 1];
        item.parentNode.removeChild(item);
        renumber(list);
        announce(liveRegion, format(gettext('{item} removed.'), {item: name}));
        var target = neighbour ? firstField(neighbour) : ownControl(list, '[data-list-action="add"]');
        if (target) { target.focus(); }
      } else if (action === 'up' || action === 'down') {
        var other = items[action === 'up' ? index - 1 : index + 1];
        if (!other) { return; }
        if (action === 'up') { other.parentNode.insertBefore(item, other); } else { other.parentNode.insertBefore(other, item); }
        renumber(list);
        announce(liveRegion, format(gettext('{item} moved to position {number}.'),
          {item: itemName(list, index), number: ownItems(list).indexOf(item) + 1}));
        button.focus();
      } else {
        return;
      }
      onChange();
    });
  }

  /* Values of one list: each item gives its fields by data-item-field, or the single field's value. */
  function listValues(list, reader) {
    return ownItems(list).map(function (item) { return reader(item); });
  }

  function itemText(item, key) {
    var field = item.querySelector('[data-item-field="' + (key || 'text') + '"]');
    return field ? field.value : '';
  }

  function fieldValue(root, name) {
    var fields = root.querySelectorAll('[data-field="' + name + '"]');
    if (!fields.length) { return ''; }
    if (fields[0].type === 'radio') {
      var checked = Array.prototype.filter.call(fields, function (field) { return field.checked; })[0];
      return checked ? checked.value : '';
    }
    if (fields[0].type === 'checkbox') {
      return fields[0].checked;
    }
    return fields[0].value;
  }

  /* ----- a learner's step ------------------------------------------------------------ */

  /*
   * Wire a step's page: Save draft, autosave after typing stops, Submit, the status
   * line and the error alert. hooks.collect() returns the handler payload;
   * hooks.afterSave(reply, submitted) refreshes what the step shows; with
   * hooks.refreshFeedback the feedback panel is redrawn after drafts too.
   */
  function step(runtime, element, args, hooks) {
    var root = rootOf(element);
    var status = root.querySelector('.lamap-status');
    var alertBox = root.querySelector('.lamap-error');
    var feedback = root.querySelector('.lamap-feedback');
    var dirty = false;
    var timer = null;
    var busy = false;
    var AUTOSAVE_DELAY = 3000;

    function showError(message) {
      alertBox.textContent = message;
    }

    /* The element a refusal names ("rows.2.time", "claim"): a field, or a list's item or cell. */
    function fieldOf(path) {
      var parts = String(path || '').split('.');
      var list = root.querySelector('[data-list="' + parts[0] + '"]');
      if (list) {
        var item = /^\d+$/.test(parts[1] || '') ? ownItems(list)[parseInt(parts[1], 10)] : null;
        var scope = item || list;
        return (parts[2] && scope.querySelector('[data-item-field="' + parts[2] + '"]')) ||
          scope.querySelector('input:not([type="hidden"]), textarea, select') || ownControl(list, '[data-list-action="add"]');
      }
      // A group of choices (judgements, rubric levels) is named by its fieldset.
      return root.querySelector('[data-field="' + parts[0] + '"]') || root.querySelector('[data-field-group="' + parts[0] + '"]');
    }

    function clearFieldErrors() {
      root.querySelectorAll('.lamap-field-error').forEach(function (note) { note.remove(); });
      root.querySelectorAll('[data-described-before]').forEach(function (field) {
        var before = field.getAttribute('data-described-before');
        if (before) { field.setAttribute('aria-describedby', before); } else { field.removeAttribute('aria-describedby'); }
        field.removeAttribute('data-described-before');
        field.removeAttribute('aria-invalid');
      });
    }

    /* Each problem beside its field, tied to it for screen readers; the first field takes the focus. */
    function showFieldErrors(problems) {
      clearFieldErrors();
      var first = null;
      (problems || []).forEach(function (problem, index) {
        var field = fieldOf(problem.field);
        if (!field) { return; }
        for (var fold = field.closest('details'); fold; fold = fold.parentNode.closest('details')) {
          fold.open = true;  // a folded plan section opens to show its problem
        }
        var note = document.createElement('p');
        note.className = 'lamap-field-error';
        note.id = args.uid + '-problem-' + index;
        note.textContent = problem.message;
        var anchor = field.type === 'radio' ? field.closest('fieldset') : field;
        anchor.parentNode.insertBefore(note, anchor.nextSibling);
        var targets = field.type === 'radio' ? root.querySelectorAll('[data-field="' + field.getAttribute('data-field') + '"]') : [field];
        Array.prototype.forEach.call(targets, function (target) {
          if (!target.hasAttribute('data-described-before')) {
            target.setAttribute('data-described-before', target.getAttribute('aria-describedby') || '');
          }
          target.setAttribute('aria-describedby', ((target.getAttribute('aria-describedby') || '') + ' ' + note.id).trim());
          if (!target.hasAttribute('data-field-group')) { target.setAttribute('aria-invalid', 'true'); }
        });
        first = first || field;
      });
      return first;
    }

    function send(handler, submitting) {
      if (busy) { return Promise.resolve(null); }
      busy = true;
      window.clearTimeout(timer);
      var payload = hooks.collect();
      var sentDirty = dirty;
      dirty = false;
      root.setAttribute('aria-busy', 'true');
      return post(runtime, element, handler, payload).then(function (reply) {
        showError('');
        clearFieldErrors();
        // The status sentence says what happened and when ("Draft saved on ...").
        announce(status, reply.status || reply.message);
        if ((submitting || hooks.refreshFeedback) && feedback && typeof reply.feedback_html === 'string') {
          feedback.innerHTML = reply.feedback_html;
        }
        if (hooks.afterSave) { hooks.afterSave(reply, submitting); }
        if (submitting) {
          focusOn((feedback && feedback.querySelector('[data-focus-after-submit]')) || status);
        }
        return reply;
      }, function (error) {
        var data = error.data || {};
        // A refused submission is kept as a draft by the server: nothing typed is lost.
        dirty = data.draft_saved ? dirty : (dirty || sentDirty);
        // The status says where the work stands now, never an earlier "Row 4 added".
        announce(status, data.status || '');
        var first = showFieldErrors(data.problems);
        if (submitting) { alertWith(alertBox, error.message); } else { showError(error.message); }
        if (first) { first.focus(); }
        return null;
      }).then(function (reply) {
        busy = false;
        root.removeAttribute('aria-busy');
        return reply;
      });
    }

    function changed() {
      dirty = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (dirty) { send('save_draft', false); }
      }, AUTOSAVE_DELAY);
    }

    function edited(event) {
      // The board, peer feedback and staff panels are not part of the learner's work.
      if (event.target.closest && event.target.closest('[data-no-autosave]')) { return; }
      changed();
    }

    root.querySelectorAll('.lamap-list').forEach(function (list) { setupList(list, changed, status); });
    root.addEventListener('input', edited);
    root.addEventListener('change', edited);
    board(runtime, element, root);
    assessed(runtime, element, root);
    root.querySelectorAll('[data-step-action]').forEach(function (button) {
      button.addEventListener('click', function () {
        var submitting = button.getAttribute('data-step-action') === 'submit';
        send(submitting ? 'submit_step' : 'save_draft', submitting);
      });
    });
    window.addEventListener('beforeunload', function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = '';
      }
    });
    return {root: root, changed: changed, send: send, showError: showError};
  }

  /* ----- the class board ------------------------------------------------------------ */

  /*
   * The class board (rendered by the server inside the feedback area): pages, order,
   * "this helps me", reporting, and staff hiding. Each action redraws the board and
   * says what happened; focus stays on the board.
   */
  function board(runtime, element, root) {
    function current() {
      return root.querySelector('.lamap-board');
    }

    function send(handler, extra, focusSelector) {
      var section = current();
      var order = section.querySelector('[data-board-order]');
      var payload = {
        page: parseInt(section.getAttribute('data-board-page') || '1', 10),
        order: order ? order.value : 'newest'
      };
      Object.keys(extra).forEach(function (key) { payload[key] = extra[key]; });
      section.setAttribute('aria-busy', 'true');
      post(runtime, element, handler, payload).then(function (reply) {
        var holder = document.createElement('div');
        holder.innerHTML = reply.board_html;
        var fresh = holder.firstElementChild;
        section.parentNode.replaceChild(fresh, section);
        var target = (focusSelector && fresh.querySelector(focusSelector)) || fresh.querySelector('.lamap-subtitle');
        if (target) { target.focus(); }
        var pageText = fresh.querySelector('.lamap-pagination span');
        announce(fresh.querySelector('.lamap-board-status'), reply.message || (pageText ? pageText.textContent : ''));
      }, function (error) {
        section.removeAttribute('aria-busy');
        alertWith(section.querySelector('.lamap-board-error'), error.message);
      });
    }

    root.addEventListener('click', function (event) {
      var button = event.target.closest('[data-board-action]');
      if (!button || !current() || button.disabled) { return; }
      var action = button.getAttribute('data-board-action');
      var id = parseInt(button.getAttribute('data-id') || '0', 10);
      var again = '[data-id="' + id + '"][data-board-action="' + action + '"]';
      if (action === 'page') {
        current().setAttribute('data-board-page', button.getAttribute('data-page'));
        send('board_page', {}, null);
      } else if (action === 'endorse') {
        send('endorse_contribution', {contribution: id, endorsed: button.getAttribute('aria-pressed') !== 'true'}, again);
      } else if (action === 'flag') {
        send('flag_contribution', {contribution: id}, null);
      } else if (action === 'hide') {
        send('hide_contribution', {contribution: id, hidden: button.getAttribute('data-hidden') === 'true'}, again);
      }
    });
    root.addEventListener('change', function (event) {
      if (event.target.matches && event.target.matches('[data-board-order]') && current()) {
        current().setAttribute('data-board-page', '1');
        send('board_page', {}, '[data-board-order]');
      }
    });
  }

  /* The levels chosen in a rubric form: {"1": level index, ...} ({} without a form). */
  function rubricScores(form) {
    var scores = {};
    if (!form) { return scores; }
    form.querySelectorAll('[data-rubric-criterion]').forEach(function (radio) {
      if (radio.checked) { scores[radio.getAttribute('data-rubric-criterion')] = parseInt(radio.value, 10); }
    });
    return scores;
  }

  /*
   * Assessed work (rendered by the server): a peer's comments and rubric scores on each
   * piece of work given to them, and staff's rubric score from the staff panel.
   */
  function assessed(runtime, element, root) {
    root.addEventListener('click', function (event) {
      var button = event.target.closest('[data-review-action="send"]');
      if (!button) { return; }
      var card = button.closest('[data-review]');
      post(runtime, element, 'submit_peer_review', {
        review: parseInt(card.getAttribute('data-review'), 10),
        criteria_met: Array.prototype.filter.call(card.querySelectorAll('[data-review-criterion]'), function (box) {
          return box.checked;
        }).map(function (box) { return parseInt(box.value, 10); }),
        comment: card.querySelector('[data-review-comment]').value,
        scores: rubricScores(card.querySelector('[data-review-rubric]'))
      }).then(function (reply) {
        var feedback = root.querySelector('.lamap-feedback');
        feedback.innerHTML = reply.feedback_html;
        focusOn(feedback.querySelector('#' + card.getAttribute('aria-labelledby')));
        announce(feedback.querySelector('.lamap-peer-status'), reply.message);
      }, function (error) {
        alertWith(root.querySelector('.lamap-peer-error'), error.message);
      });
    });
    root.addEventListener('click', function (event) {
      var button = event.target.closest('[data-staff-action="score"]');
      if (!button) { return; }
      var form = button.closest('[data-staff-score]');
      var status = form.querySelector('.lamap-status');
      post(runtime, element, 'score_with_rubric', {
        learner: form.getAttribute('data-staff-score'),
        scores: rubricScores(form),
        comment: form.querySelector('[data-staff-comment]').value
      }).then(function (reply) {
        announce(status, reply.message);
      }, function (error) {
        announce(status, error.message);
      });
    });
  }

  return {
    rubricScores: rubricScores,
    gettext: gettext,
    ngettext: ngettext,
    format: format,
    rootOf: rootOf,
    post: post,
    announce: announce,
    focusOn: focusOn,
    alertWith: alertWith,
    addItem: addItem,
    setupList: setupList,
    renumber: renumber,
    listValues: listValues,
    itemText: itemText,
    fieldValue: fieldValue,
    ownItems: ownItems,
    step: step
  };
}());
