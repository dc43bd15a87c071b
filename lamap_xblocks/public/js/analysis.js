/*
 * The analysis block: marks on a transcript (lines), a video (moments) or an image
 * (regions), each with a criterion and a comment; feedback; a judgement per criterion.
 * Every mark can be made with the keyboard: "Mark" beside each line, "Mark the current
 * moment" under the video, and on the image a focused region moves with the arrow keys
 * (Shift: resize), as well as with its four numbers.
 */
function LamapAnalysisBlock(runtime, element, args) {
  'use strict';
  var common = window.LamapXBlocksCommon;
  if (args.view === 'studio') {
    return common.studioEditor(runtime, element, args);
  }
  var root = common.rootOf(element);
  var artefact = root.querySelector('.lamap-artefact');
  var kind = artefact.getAttribute('data-kind');
  var list = root.querySelector('[data-list="marks"]');
  var status = root.querySelector('.lamap-status');
  var canvas = root.querySelector('[data-canvas]');
  var layer = root.querySelector('[data-regions]');
  var video = root.querySelector('[data-video]');
  var STEP = 2; // % moved by an arrow key on the image

  function clockToSeconds(text) {
    var value = String(text || '').trim();
    if (!/^\d{1,2}(:\d{1,2}){0,2}$/.test(value)) { return value; } // the server names the problem
    return value.split(':').reduce(function (total, part) { return total * 60 + parseInt(part, 10); }, 0);
  }

  function secondsToClock(value) {
    var total = Math.max(0, Math.round(value || 0));
    var minutes = Math.floor(total / 60);
    var seconds = total % 60;
    return minutes + ':' + (seconds < 10 ? '0' : '') + seconds;
  }

  function number(item, key) {
    var text = common.itemText(item, key);
    var value = Number(text);
    return text === '' || isNaN(value) ? text : value;
  }

  function target(item) {
    if (kind === 'image') {
      return {x: number(item, 'x'), y: number(item, 'y'), w: number(item, 'w'), h: number(item, 'h')};
    }
    if (kind === 'video') {
      return {start: clockToSeconds(common.itemText(item, 'start')), end: clockToSeconds(common.itemText(item, 'end'))};
    }
    return {start: number(item, 'start'), end: number(item, 'end')};
  }

  function collect() {
    var judgements = {};
    root.querySelectorAll('[data-judgement]').forEach(function (radio) {
      if (radio.checked) { judgements[radio.getAttribute('data-judgement')] = radio.value; }
    });
    return {
      marks: common.listValues(list, function (item) {
        var criterion = common.itemText(item, 'criterion');
        return {target: target(item), criterion: criterion === '' ? null : parseInt(criterion, 10),
          comment: common.itemText(item, 'comment')};
      }),
      written_feedback: common.fieldValue(root, 'written_feedback'),
      judgements: judgements,
      overall: common.fieldValue(root, 'overall'),
      self_scores: common.rubricScores(root.querySelector('[data-rubric-self]'))
    };
  }

  var page = common.step(runtime, element, args, {collect: collect});

  function setField(item, key, value) {
    var field = item.querySelector('[data-item-field="' + key + '"]');
    if (field) { field.value = value; }
  }

  /* A new mark, filled in, its criterion focused: the learner says next what it shows. */
  function addMark(values) {
    var add = list.querySelector('[data-list-action="add"]');
    if (add && add.disabled) {
      common.announce(status, common.gettext('You have reached the largest number of marks.'));
      return null;
    }
    var item = common.addItem(list);
    Object.keys(values).forEach(function (key) { setField(item, key, values[key]); });
    var index = common.ownItems(list).indexOf(item);
    common.announce(status, common.format(common.gettext('{item} added.'), {item: common.format(
      list.getAttribute('data-item-name'), {number: index + 1})}));
    page.changed();
    refresh();
    var criterion = item.querySelector('[data-item-field="criterion"]');
    if (criterion) { criterion.focus(); }
    return item;
  }

  /* ----- transcript and video ----------------------------------------------------------- */

  root.querySelectorAll('[data-mark-line]').forEach(function (button) {
    button.addEventListener('click', function () {
      var line = button.closest('[data-line]');
      var lineNumber = line.getAttribute('data-line');
      if (kind === 'video') {
        var time = secondsToClock(Number(line.getAttribute('data-time') || 0));
        addMark({start: time, end: time});
      } else {
        addMark({start: lineNumber, end: lineNumber});
      }
    });
  });
  root.querySelectorAll('[data-seek]').forEach(function (button) {
    button.addEventListener('click', function () {
      if (!video) { return; }
      video.currentTime = Number(button.getAttribute('data-seek'));
      video.play();
    });
  });
  var markNow = root.querySelector('[data-mark-now]');
  if (markNow && video) {
    markNow.addEventListener('click', function () {
      var time = secondsToClock(video.currentTime);
      addMark({start: time, end: time});
    });
  }

  /* Lines covered by a mark are highlighted in the transcript. */
  function highlightLines() {
    var covered = {};
    if (kind === 'transcript') {
      common.ownItems(list).forEach(function (item) {
        var first = parseInt(common.itemText(item, 'start'), 10);
        var last = parseInt(common.itemText(item, 'end'), 10);
        for (var n = first; n <= last && n - first < 1000; n++) { covered[n] = true; }
      });
    }
    root.querySelectorAll('.lamap-line').forEach(function (line) {
      line.classList.toggle('lamap-marked', !!covered[line.getAttribute('data-line')]);
    });
  }

  /* ----- the image ----------------------------------------------------------------------- */

  function clamp(value, low, high) { return Math.min(high, Math.max(low, value)); }

  function region(item) {
    var box = target(item);
    ['x', 'y', 'w', 'h'].forEach(function (key) { box[key] = Number(box[key]) || 0; });
    return box;
  }

  function setRegion(item, box) {
    box.w = clamp(Math.round(box.w), 1, 100);
    box.h = clamp(Math.round(box.h), 1, 100);
    box.x = clamp(Math.round(box.x), 0, 100 - box.w);
    box.y = clamp(Math.round(box.y), 0, 100 - box.h);
    ['x', 'y', 'w', 'h'].forEach(function (key) { setField(item, key, String(box[key])); });
    page.changed();
    refresh();
  }

  function describe(box, index) {
    return common.format(common.gettext(
      'Mark {number}: from {left}% to {right}% across, {top}% to {bottom}% down. ' +
      'Arrow keys move it; Shift and arrow keys change its size.'),
    {number: index + 1, left: box.x, right: box.x + box.w, top: box.y, bottom: box.y + box.h});
  }

  function drawRegions() {
    if (!layer) { return; }
    var focused = document.activeElement && document.activeElement.getAttribute('data-region');
    layer.textContent = '';
    common.ownItems(list).forEach(function (item, index) {
      var box = region(item);
      var node = document.createElement('div');
      node.className = 'lamap-region';
      node.setAttribute('data-region', String(index));
      node.setAttribute('tabindex', '0');
      node.setAttribute('role', 'img');
      node.setAttribute('aria-label', describe(box, index));
      node.style.left = box.x + '%';
      node.style.top = box.y + '%';
      node.style.width = box.w + '%';
      node.style.height = box.h + '%';
      var label = document.createElement('span');
      label.className = 'lamap-region-number';
      label.setAttribute('aria-hidden', 'true');
      label.textContent = String(index + 1);
      node.appendChild(label);
      layer.appendChild(node);
      if (focused === String(index)) { node.focus(); }
    });
  }

  if (layer) {
    layer.addEventListener('keydown', function (event) {
      var node = event.target.closest('[data-region]');
      var moves = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};
      if (!node || !moves[event.key]) { return; }
      event.preventDefault();
      var item = common.ownItems(list)[parseInt(node.getAttribute('data-region'), 10)];
      var box = region(item);
      var move = moves[event.key];
      if (event.shiftKey) {
        box.w += move[0] * STEP;
        box.h += move[1] * STEP;
      } else {
        box.x += move[0] * STEP;
        box.y += move[1] * STEP;
      }
      setRegion(item, box);
      var moved = layer.querySelector('[data-region="' + node.getAttribute('data-region') + '"]');
      if (moved) { moved.focus(); }
    });
    // Drag across the image to draw a new region (a pointer's way; the keyboard's is above).
    var start = null;
    var draft = null;
    var position = function (event) {
      var rect = canvas.getBoundingClientRect();
      return {x: clamp(100 * (event.clientX - rect.left) / rect.width, 0, 100),
        y: clamp(100 * (event.clientY - rect.top) / rect.height, 0, 100)};
    };
    canvas.addEventListener('pointerdown', function (event) {
      if (event.target.closest('[data-region]') || event.button !== 0) { return; }
      start = position(event);
      draft = document.createElement('div');
      draft.className = 'lamap-draft-region';
      layer.appendChild(draft);
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener('pointermove', function (event) {
      if (!start) { return; }
      var now = position(event);
      draft.style.left = Math.min(start.x, now.x) + '%';
      draft.style.top = Math.min(start.y, now.y) + '%';
      draft.style.width = Math.abs(now.x - start.x) + '%';
      draft.style.height = Math.abs(now.y - start.y) + '%';
    });
    canvas.addEventListener('pointerup', function (event) {
      if (!start) { return; }
      var now = position(event);
      var box = {x: Math.min(start.x, now.x), y: Math.min(start.y, now.y),
        w: Math.abs(now.x - start.x), h: Math.abs(now.y - start.y)};
      start = null;
      if (draft && draft.parentNode) { draft.parentNode.removeChild(draft); }
      if (box.w < 2 || box.h < 2) { return; } // a click, not a drag
      var item = addMark({});
      if (item) { setRegion(item, box); }
    });
  }

  function refresh() {
    highlightLines();
    drawRegions();
  }

  list.addEventListener('input', refresh);
  list.addEventListener('click', function (event) {
    if (event.target.closest('[data-list-action]')) { window.setTimeout(refresh, 0); }
  });
  refresh();
}
