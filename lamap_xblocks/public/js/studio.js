/*
 * The Studio editor of every lamap-xblocks step, loaded with the editor only: it adds
 * LamapXBlocksCommon.studioEditor(), which each block's init function calls in Studio.
 * Studio's runtime.notify() drives the modal where present; elsewhere (the workbench)
 * the editor shows the same messages itself.
 */
(function (common) {
  'use strict';
  var gettext = common.gettext;
  var ngettext = common.ngettext;
  var format = common.format;
  var rootOf = common.rootOf;
  var post = common.post;
  var announce = common.announce;
  var alertWith = common.alertWith;
  var setupList = common.setupList;
  var listValues = common.listValues;
  var itemText = common.itemText;
  var ownItems = common.ownItems;

  function notify(runtime, name, data) {
    if (runtime && typeof runtime.notify === 'function') {
      runtime.notify(name, data);
      return true;
    }
    return false;
  }

  function editorValue(field, container) {
    var input = container.querySelector('[data-editor-input]');
    switch (field.kind) {
    case 'checkbox':
      return input.checked;
    case 'number':
      return input.value === '' ? null : Number(input.value);
    case 'checkboxes':
      return Array.prototype.filter.call(container.querySelectorAll('input[type="checkbox"]'), function (box) {
        return box.checked;
      }).map(function (box) { return box.value; });
    case 'lines':
      return listValues(container.querySelector('.lamap-list'), function (item) { return itemText(item); });
    case 'investigation':
      return input.value === '__new__' ? container.querySelector('[data-new-investigation] input').value : input.value;
    case 'records':
      return listValues(container.querySelector('.lamap-list'), function (item) {
        var record = {};
        field.columns.forEach(function (key) { record[key] = itemText(item, key); });
        return record;
      });
    default:
      return input.value;
    }
  }

  /*
   * The Studio editor of every block. In Studio, runtime.notify() drives the modal
   * (save start/end, errors, cancel); where the runtime has no notify() (the
   * workbench), the editor shows the same messages itself.
   */
  function studioEditor(runtime, element, args) {
    var root = rootOf(element);
    var status = root.querySelector('.lamap-editor-status');
    var alertBox = root.querySelector('.lamap-editor-error');
    root.querySelectorAll('.lamap-list').forEach(function (list) {
      setupList(list, function () {}, status);
    });
    // The investigation: a key already used in the course, or a new one typed in.
    root.querySelectorAll('[data-editor-field="investigation"] select').forEach(function (select) {
      var fresh = select.parentNode.querySelector('[data-new-investigation]');
      select.addEventListener('change', function () {
        fresh.hidden = select.value !== '__new__';
        if (!fresh.hidden) { fresh.querySelector('input').focus(); }
      });
    });
    /* The control a problem names: "chart_x", "columns" or a list item's cell "columns.2.type". */
    function controlOf(path) {
      var parts = String(path || '').split('.');
      var container = root.querySelector('[data-editor-field="' + parts[0] + '"]');
      if (!container) { return null; }
      var list = container.querySelector('.lamap-list');
      if (list && /^\d+$/.test(parts[1] || '')) {
        var item = ownItems(list)[parseInt(parts[1], 10)];
        if (item) {
          return (parts[2] && item.querySelector('[data-item-field="' + parts[2] + '"]')) ||
            item.querySelector('input:not([type="hidden"]), select, textarea');
        }
      }
      var fresh = container.querySelector('[data-new-investigation]:not([hidden]) input');
      return fresh || container.querySelector('[data-editor-input]') ||
        container.querySelector('input:not([type="hidden"]), select, textarea') ||
        container.querySelector('[data-list-action="add"]');
    }

    function clearProblems() {
      root.querySelectorAll('.lamap-field-error').forEach(function (note) { note.remove(); });
      root.querySelectorAll('[aria-invalid="true"]').forEach(function (control) {
        control.removeAttribute('aria-invalid');
        var before = control.getAttribute('data-described-before');
        if (before) { control.setAttribute('aria-describedby', before); } else { control.removeAttribute('aria-describedby'); }
        control.removeAttribute('data-described-before');
      });
    }

    /* Every problem beside its field, the field marked and described by it; the first one focused. */
    function showProblems(problems) {
      clearProblems();
      var first = null;
      problems.forEach(function (problem, index) {
        var control = controlOf(problem.field);
        if (!control) { return; }
        var note = document.createElement('p');
        note.className = 'lamap-field-error';
        note.id = args.uid + '-editor-problem-' + index;
        note.textContent = problem.message;
        var entry = control.closest('.lamap-cell') || control.closest('.lamap-editor-field');
        (control.closest('.lamap-cell') ? entry : entry.querySelector('.wrapper-comp-setting') || entry).appendChild(note);
        control.setAttribute('data-described-before', control.getAttribute('aria-describedby') || '');
        control.setAttribute('aria-describedby', ((control.getAttribute('aria-describedby') || '') + ' ' + note.id).trim());
        control.setAttribute('aria-invalid', 'true');
        first = first || control;
      });
      return first;
    }

    root.querySelector('[data-editor-action="save"]').addEventListener('click', function (event) {
      event.preventDefault();
      var values = {};
      args.fields.forEach(function (field) {
        values[field.name] = editorValue(field, root.querySelector('[data-editor-field="' + field.name + '"]'));
      });
      notify(runtime, 'save', {state: 'start', message: gettext('Saving')});
      alertBox.textContent = '';
      post(runtime, element, 'submit_studio_edits', {values: values}).then(function () {
        clearProblems();
        announce(status, gettext('Saved.'));
        notify(runtime, 'save', {state: 'end'});
      }, function (error) {
        var problems = (error.data && error.data.problems) || [];
        var first = showProblems(problems);
        var summary = problems.length > 1 ?
          format(ngettext('{count} problem to fix:', '{count} problems to fix:', problems.length), {count: problems.length}) +
            '\n' + problems.map(function (problem) { return '• ' + problem.message; }).join('\n') :
          error.message;
        alertWith(alertBox, summary);
        if (first) { first.focus(); }
        notify(runtime, 'error', {title: gettext('Could not save'), message: error.message});
      });
    });
    root.querySelector('[data-editor-action="cancel"]').addEventListener('click', function (event) {
      event.preventDefault();
      if (!notify(runtime, 'cancel', {})) {
        announce(status, gettext('Changes not saved. Reload the page to see the saved settings.'));
      }
    });
    return {
      /* The values as the editor would save them now (a block's preview reads them). */
      values: function () {
        var values = {};
        args.fields.forEach(function (field) {
          values[field.name] = editorValue(field, root.querySelector('[data-editor-field="' + field.name + '"]'));
        });
        return values;
      }
    };
  }

  common.studioEditor = studioEditor;
}(window.LamapXBlocksCommon));
