/*
 * lamap-course preview: on phones the header's menu button opens and closes the outline
 * (aria-expanded; Escape closes it and gives the focus back); on wide screens the outline's
 * own box scrolls to the current unit, the page does not move. The learner menu closes on
 * Escape and puts the focus in its field when it opens. Without this script the outline
 * follows the unit and the learner menu opens as any disclosure.
 */
(function () {
  'use strict';

  var WIDE = '(min-width: 60em)';

  function showCurrent(outline) {
    var scroller = outline.querySelector('.lamap-preview-outline-scroll');
    var current = outline.querySelector('a[aria-current="page"]');
    if (!scroller || !current || scroller.scrollHeight <= scroller.clientHeight) {
      return;
    }
    var box = scroller.getBoundingClientRect();
    var link = current.getBoundingClientRect();
    // The box may reach below the window until the page scrolls: aim at what is visible.
    var visibleBottom = Math.min(box.bottom, window.innerHeight);
    if (link.top >= box.top && link.bottom <= visibleBottom) {
      return;
    }
    scroller.scrollTop += link.top - box.top - (visibleBottom - box.top) / 3;
  }

  function setUpMenu(outline) {
    var button = document.querySelector('.lamap-preview-menu');
    if (!button) {
      return;
    }
    button.hidden = false;
    var setOpen = function (open, focus) {
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
      outline.classList.toggle('lamap-preview-open', open);
      if (open && focus) {
        var target = outline.querySelector('a[aria-current="page"]') || outline.querySelector('a, summary');
        if (target) {
          target.focus();
        }
      }
    };
    button.addEventListener('click', function () {
      setOpen(button.getAttribute('aria-expanded') !== 'true', true);
    });
    outline.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && button.getAttribute('aria-expanded') === 'true' && button.offsetParent !== null) {
        setOpen(false);
        button.focus();
      }
    });
  }

  function setUpLearnerMenu() {
    var menu = document.querySelector('.lamap-preview-learner-menu');
    if (!menu) {
      return;
    }
    var summary = menu.querySelector('summary');
    var field = menu.querySelector('input[name="student"]');
    menu.addEventListener('toggle', function () {
      if (menu.open && field) {
        field.focus();
        field.select();
      }
    });
    menu.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && menu.open) {
        menu.open = false;
        summary.focus();
      }
    });
    document.addEventListener('click', function (event) {
      if (menu.open && !menu.contains(event.target)) {
        menu.open = false;
      }
    });
  }

  function setUp() {
    setUpLearnerMenu();
    var outline = document.querySelector('.lamap-preview-outline');
    if (!outline) {
      return;
    }
    setUpMenu(outline);
    if (!window.matchMedia || window.matchMedia(WIDE).matches) {
      showCurrent(outline);
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', setUp);
  } else {
    setUp();
  }
}());
