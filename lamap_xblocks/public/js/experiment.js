/*
 * The experiment step: the fair-test plan, the results table with repeated trials,
 * and the author's chart, redrawn from the server's description as the learner types.
 */
function LamapExperimentBlock(runtime, element, args) {
  'use strict';
  var common = window.LamapXBlocksCommon;
  var SVG = 'http://www.w3.org/2000/svg';

  /* ----- the chart: drawn from the server's description (charts.py), never recomputed here ----- */

  function node(name, attributes, text) {
    var created = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) { created.setAttribute(key, attributes[key]); });
    if (text !== undefined && text !== null) {
      // Text content for labels and titles; any other element gets its own <title> (its accessible name).
      if (name === 'text' || name === 'title') { created.textContent = text; } else { created.appendChild(node('title', {}, text)); }
    }
    return created;
  }

  function drawChartInto(holder, description, uid) {
    if (!holder || !description) { return; }
    holder.textContent = '';
    if (description.empty) {
      holder.appendChild(document.createElement('p')).textContent = description.empty;
      return;
    }
    var svg = node('svg', {'class': 'lamap-chart-svg', direction: 'ltr', viewBox: '0 0 ' + description.width + ' ' + description.height,
      role: 'img', 'aria-labelledby': uid + '-chart-title ' + uid + '-chart-desc', 'font-size': description.font});
    svg.appendChild(node('title', {id: uid + '-chart-title'})).textContent = description.title;
    svg.appendChild(node('desc', {id: uid + '-chart-desc'})).textContent = description.desc;
    description.elements.forEach(function (item) {
      svg.appendChild(node(item[0], item[1], item[2]));
    });
    holder.appendChild(svg);
  }

  /* Studio: the editor, and a preview of the chart on made-up results, redrawn as settings change. */
  if (args.view === 'studio') {
    var editor = common.studioEditor(runtime, element, args);
    var preview = common.rootOf(element).querySelector('[data-chart-preview]');
    var previewTimer = null;
    var previewRequest = 0;
    var redraw = function () {
      window.clearTimeout(previewTimer);
      previewTimer = window.setTimeout(function () {
        var values = editor.values();
        var settings = {};
        Object.keys(values).forEach(function (name) {
          if (name.indexOf('chart_') === 0 || name === 'show_chart') { settings[name] = values[name]; }
        });
        var number = previewRequest += 1;
        common.post(runtime, element, 'chart_preview', {columns: values.columns, settings: settings}).then(function (reply) {
          if (number === previewRequest) { drawChartInto(preview, reply.chart, args.uid + '-preview'); }
        }, function (error) {
          if (number === previewRequest) { preview.textContent = error.message; }
        });
      }, 400);
    };
    if (preview) {
      common.rootOf(element).addEventListener('input', redraw);
      common.rootOf(element).addEventListener('change', redraw);
      common.rootOf(element).addEventListener('click', function (event) {
        if (event.target.closest('[data-list-action]')) { redraw(); }
      });
      redraw();
    }
    return editor;
  }
  var root = common.rootOf(element);
  var gettext = common.gettext;
  var format = common.format;
  var rowsList = root.querySelector('[data-list="rows"]');
  var columns = JSON.parse(rowsList.getAttribute('data-columns') || '[]');
  var chart = root.querySelector('[data-chart]');
  var status = root.querySelector('.lamap-status');
  var changedColumn = columns.filter(function (column) { return column.role === 'changed'; })[0] || columns[0];
  var timeColumn = columns.filter(function (column) { return column.role === 'time'; })[0];

  function lineValues(name) {
    var list = root.querySelector('[data-list="' + name + '"]');
    return common.listValues(list, function (item) { return common.itemText(item); });
  }

  function tableRows() {
    return common.listValues(rowsList, function (item) {
      var row = {};
      columns.forEach(function (column) { row[column.key] = common.itemText(item, column.key); });
      return row;
    });
  }

  function collect() {
    return {
      tested_hypothesis: common.fieldValue(root, 'tested_hypothesis'),
      changed_variable: common.fieldValue(root, 'changed_variable'),
      changed_values: lineValues('changed_values'),
      measured_variables: lineValues('measured_variables'),
      controlled_variables: lineValues('controlled_variables'),
      materials: lineValues('materials'),
      protocol: lineValues('protocol'),
      prediction: common.fieldValue(root, 'prediction'),
      rows: tableRows(),
      observations: common.fieldValue(root, 'observations')
    };
  }

  /*
   * Rows sharing the changed variable's value are repeats: Trial 1, 2, 3... of that condition.
   * A time series (a column says when each row is measured) numbers its rows: they are readings.
   */
  function updateTrials() {
    var seen = {};
    if (timeColumn) {
      common.ownItems(rowsList).forEach(function (item, index) {
        item.querySelector('[data-trial-label]').textContent = format(gettext('Row {number}'), {number: index + 1});
      });
      return;
    }
    common.ownItems(rowsList).forEach(function (item) {
      var key = changedColumn ? common.itemText(item, changedColumn.key).trim().toLowerCase().replace(/\s+/g, ' ') : '';
      seen[key] = (seen[key] || 0) + 1;
      item.querySelector('[data-trial-label]').textContent = format(gettext('Trial {number}'), {number: seen[key]});
    });
  }

  function repeatRow(item) {
    var first = changedColumn ? changedColumn.key : null;
    var values = {};
    if (first) { values[first] = common.itemText(item, first); }
    var added = common.addItem(rowsList, values);
    // Place the repeat after the last row of the same condition.
    var same = common.ownItems(rowsList).filter(function (other) {
      return other !== added && first && common.itemText(other, first).trim().toLowerCase() ===
        String(values[first]).trim().toLowerCase();
    });
    var anchor = same.length ? same[same.length - 1] : item;
    anchor.parentNode.insertBefore(added, anchor.nextSibling);
    common.renumber(rowsList);
    refresh();
    common.announce(status, format(gettext('{item} added: a repeat of the same condition.'),
      {item: format(rowsList.getAttribute('data-item-name'), {number: common.ownItems(rowsList).indexOf(added) + 1})}));
    var target = Array.prototype.filter.call(added.querySelectorAll('input'), function (input) {
      return input.getAttribute('data-item-field') !== first;
    })[0];
    if (target) { target.focus(); }
    page.changed();
  }

  /* ----- the chart: drawn from the server's description (charts.py), never recomputed here ----- */

  function drawChart(description) {
    drawChartInto(chart, description, args.uid + '-live');
  }

  var chartTimer = null;
  var chartRequest = 0;
  function requestChart() {
    if (!chart) { return; }
    window.clearTimeout(chartTimer);
    chartTimer = window.setTimeout(function () {
      var number = chartRequest += 1;
      common.post(runtime, element, 'chart_data', {rows: tableRows()}).then(function (reply) {
        if (number === chartRequest) { drawChart(reply.chart); }
      }, function () { /* the last chart stays; the table is still the data */ });
    }, 400);
  }

  function refresh() {
    updateTrials();
    requestChart();
  }

  var page = common.step(runtime, element, args, {collect: collect, refreshFeedback: true});
  rowsList.addEventListener('input', refresh);
  rowsList.addEventListener('click', function (event) {
    var button = event.target.closest('[data-row-action="repeat"]');
    if (button) {
      repeatRow(button.closest('.lamap-list-item'));
    } else if (event.target.closest('[data-list-action]')) {
      refresh();
    }
  });
  updateTrials();
}
