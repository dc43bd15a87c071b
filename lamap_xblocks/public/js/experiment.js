/*
 * The experiment step: the fair-test plan, the results table with repeated trials,
 * and an inline SVG chart of the number columns, redrawn as the learner types.
 */
function LamapExperimentBlock(runtime, element, args) {
  'use strict';
  var common = window.LamapXBlocksCommon;
  if (args.view === 'studio') {
    return common.studioEditor(runtime, element, args);
  }
  var root = common.rootOf(element);
  var gettext = common.gettext;
  var format = common.format;
  var rowsList = root.querySelector('[data-list="rows"]');
  var columns = JSON.parse(rowsList.getAttribute('data-columns') || '[]');
  var chart = root.querySelector('[data-chart]');
  var status = root.querySelector('.lamap-status');
  var SVG = 'http://www.w3.org/2000/svg';
  var COLOURS = ['#0b5cad', '#a34700', '#1c7c3a', '#6a3d9a'];
  var SHAPES = ['circle', 'square', 'triangle', 'diamond'];
  var NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;

  function parseNumber(text) {
    var cleaned = String(text === null || text === undefined ? '' : text).replace(/[\s\u00a0]/g, '');
    if (!NUMBER.test(cleaned)) { return null; }
    var value = parseFloat(cleaned.replace(',', '.'));
    return isFinite(value) ? value : null;
  }

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
      measured_variable: common.fieldValue(root, 'measured_variable'),
      controlled_variables: lineValues('controlled_variables'),
      materials: lineValues('materials'),
      protocol: lineValues('protocol'),
      prediction: common.fieldValue(root, 'prediction'),
      rows: tableRows(),
      observations: common.fieldValue(root, 'observations')
    };
  }

  function condition(row) {
    return columns.length ? String(row[columns[0].key] || '').trim().toLowerCase() : '';
  }

  /* Rows sharing the first column's value are repeats: Trial 1, 2, 3... of that condition. */
  function updateTrials() {
    var seen = {};
    common.ownItems(rowsList).forEach(function (item) {
      var key = columns.length ? common.itemText(item, columns[0].key).trim().toLowerCase() : '';
      seen[key] = (seen[key] || 0) + 1;
      item.querySelector('[data-trial-label]').textContent = format(gettext('Trial {number}'), {number: seen[key]});
    });
  }

  function repeatRow(item) {
    var first = columns.length ? columns[0].key : null;
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
    var target = added.querySelectorAll('input')[columns.length > 1 ? 1 : 0];
    if (target) { target.focus(); }
    page.changed();
  }

  /* ----- the chart --------------------------------------------------------------------- */

  function niceTicks(low, high) {
    if (low === high) { low -= 1; high += 1; }
    var raw = (high - low) / 5;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * power; }).filter(function (s) { return s >= raw; })[0];
    var ticks = [];
    for (var index = Math.floor(low / step); ; index += 1) {
      ticks.push(index * step);
      if (index * step >= high) { break; }
    }
    return ticks;
  }

  function node(name, attributes, text) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) { element.setAttribute(key, attributes[key]); });
    if (text !== undefined) { element.textContent = text; }
    return element;
  }

  function marker(shape, x, y, colour) {
    var size = 4.5;
    if (shape === 'circle') { return node('circle', {cx: x, cy: y, r: size, fill: colour}); }
    if (shape === 'square') { return node('rect', {x: x - size, y: y - size, width: 2 * size, height: 2 * size, fill: colour}); }
    var points = shape === 'triangle' ?
      [[x, y - size - 1], [x + size + 1, y + size], [x - size - 1, y + size]] :
      [[x, y - size - 1], [x + size + 1, y], [x, y + size + 1], [x - size - 1, y]];
    return node('polygon', {points: points.map(function (p) { return p.join(','); }).join(' '), fill: colour});
  }

  function title(column) {
    return column.unit ? column.name + ' (' + column.unit + ')' : column.name;
  }

  function number(value) {
    return Number(value.toPrecision(4)).toLocaleString(args.language || undefined);
  }

  function drawChart() {
    if (!chart) { return; }
    chart.textContent = '';
    var xColumn = columns[0];
    var series = columns.slice(1).filter(function (column) { return column.type === 'number'; });
    if (!xColumn || !series.length) {
      chart.textContent = gettext('The chart needs a number column after the first column.');
      return;
    }
    var numericX = xColumn.type === 'number';
    var categories = [];
    var points = [];
    tableRows().forEach(function (row) {
      var x = numericX ? parseNumber(row[xColumn.key]) : String(row[xColumn.key] || '').trim();
      if (x === null || x === '') { return; }
      if (!numericX && categories.indexOf(x) < 0) { categories.push(x); }
      series.forEach(function (column, index) {
        var y = parseNumber(row[column.key]);
        if (y !== null) { points.push({series: index, x: x, y: y}); }
      });
    });
    if (!points.length) {
      chart.textContent = gettext('The chart appears when the table has results.');
      return;
    }
    var width = 640, height = 360;
    var margin = {left: 70, right: 20, top: series.length > 1 ? 40 : 20, bottom: 60};
    var ys = points.map(function (p) { return p.y; });
    var yTicks = niceTicks(Math.min(0, Math.min.apply(null, ys)), Math.max(0, Math.max.apply(null, ys)));
    var yLow = yTicks[0], yHigh = yTicks[yTicks.length - 1];
    var xPosition, xTicks;
    var plotWidth = width - margin.left - margin.right, plotHeight = height - margin.top - margin.bottom;
    if (numericX) {
      var xs = points.map(function (p) { return p.x; });
      xTicks = niceTicks(Math.min.apply(null, xs), Math.max.apply(null, xs));
      // A margin of a quarter step keeps the end points off the axes.
      var xPad = (xTicks[1] - xTicks[0]) / 4;
      var xLow = xTicks[0] - xPad, xHigh = xTicks[xTicks.length - 1] + xPad;
      xPosition = function (x) { return margin.left + (x - xLow) / (xHigh - xLow) * plotWidth; };
    } else {
      xTicks = categories;
      xPosition = function (x) { return margin.left + (categories.indexOf(x) + 0.5) / categories.length * plotWidth; };
    }
    var yPosition = function (y) { return margin.top + (yHigh - y) / (yHigh - yLow) * plotHeight; };

    var yTitle = series.length === 1 ? title(series[0]) : gettext('Measured values');
    var svg = node('svg', {viewBox: '0 0 ' + width + ' ' + height, role: 'img', class: 'lamap-chart-svg',
      'aria-labelledby': args.uid + '-chart-title ' + args.uid + '-chart-desc'});
    svg.appendChild(node('title', {id: args.uid + '-chart-title'},
      format(gettext('{y} against {x}'), {y: yTitle, x: title(xColumn)})));
    var description = node('desc', {id: args.uid + '-chart-desc'});
    svg.appendChild(description);

    var axes = node('g', {class: 'lamap-axes'});
    yTicks.forEach(function (tick) {
      var y = yPosition(tick);
      axes.appendChild(node('line', {x1: margin.left, x2: width - margin.right, y1: y, y2: y, class: 'lamap-grid'}));
      axes.appendChild(node('text', {x: margin.left - 8, y: y + 4, 'text-anchor': 'end'}, number(tick)));
    });
    xTicks.forEach(function (tick) {
      var x = xPosition(tick);
      axes.appendChild(node('line', {x1: x, x2: x, y1: height - margin.bottom, y2: height - margin.bottom + 5, class: 'lamap-axis'}));
      axes.appendChild(node('text', {x: x, y: height - margin.bottom + 20, 'text-anchor': 'middle'},
        numericX ? number(tick) : tick));
    });
    axes.appendChild(node('line', {x1: margin.left, x2: margin.left, y1: margin.top, y2: height - margin.bottom, class: 'lamap-axis'}));
    axes.appendChild(node('line', {x1: margin.left, x2: width - margin.right, y1: height - margin.bottom, y2: height - margin.bottom, class: 'lamap-axis'}));
    axes.appendChild(node('text', {x: margin.left + plotWidth / 2, y: height - 12, 'text-anchor': 'middle', class: 'lamap-axis-title'}, title(xColumn)));
    axes.appendChild(node('text', {x: 16, y: margin.top + plotHeight / 2, 'text-anchor': 'middle', class: 'lamap-axis-title',
      transform: 'rotate(-90 16 ' + (margin.top + plotHeight / 2) + ')'}, yTitle));
    svg.appendChild(axes);

    var summaries = [];
    series.forEach(function (column, index) {
      var colour = COLOURS[index % COLOURS.length];
      var own = points.filter(function (p) { return p.series === index; });
      var groups = {};
      var order = [];
      own.forEach(function (p) {
        var key = String(p.x);
        if (!groups[key]) { groups[key] = {x: p.x, values: []}; order.push(key); }
        groups[key].values.push(p.y);
      });
      var means = order.map(function (key) {
        var values = groups[key].values;
        return {x: groups[key].x, y: values.reduce(function (a, b) { return a + b; }, 0) / values.length, n: values.length};
      });
      if (numericX) { means.sort(function (a, b) { return a.x - b.x; }); }
      if (means.length > 1) {
        svg.appendChild(node('polyline', {fill: 'none', stroke: colour, 'stroke-width': 2,
          points: means.map(function (m) { return xPosition(m.x) + ',' + yPosition(m.y); }).join(' ')}));
      }
      own.forEach(function (p) {
        svg.appendChild(marker(SHAPES[index % SHAPES.length], xPosition(p.x), yPosition(p.y), colour));
      });
      if (series.length > 1) {
        var legendX = margin.left + index * 160;
        svg.appendChild(marker(SHAPES[index % SHAPES.length], legendX + 6, 18, colour));
        svg.appendChild(node('text', {x: legendX + 16, y: 22}, title(column)));
      }
      summaries.push(format(gettext('{series}: {values}.'), {
        series: title(column),
        values: means.map(function (m) {
          return format(common.ngettext('{x}: average {y} over {count} trial', '{x}: average {y} over {count} trials',
            m.n), {x: numericX ? number(m.x) : m.x, y: number(m.y), count: m.n});
        }).join('; ')
      }));
    });
    description.textContent = summaries.join(' ');
    chart.appendChild(svg);
  }

  var frame = null;
  function refresh() {
    updateTrials();
    if (frame) { window.cancelAnimationFrame(frame); }
    frame = window.requestAnimationFrame(drawChart);
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
  refresh();
}
