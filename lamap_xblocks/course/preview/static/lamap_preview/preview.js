/*
 * lamap-course preview: the outline folds away on narrow screens, where it sits below the
 * unit, and stays open beside it on wide ones; there it scrolls to the current unit.
 * Without this script the outline is simply open.
 */
(function () {
  'use strict';

  function setUp() {
    var outline = document.querySelector('.lamap-preview-outline');
    var details = outline && outline.querySelector('details');
    if (!details || !window.matchMedia) {
      return;
    }
    var wide = window.matchMedia('(min-width: 60em)');
    var fit = function () {
      details.open = wide.matches;
    };
    fit();
    if (wide.addEventListener) {
      wide.addEventListener('change', fit);
    }
    var current = outline.querySelector('[aria-current="page"]');
    if (current && wide.matches && outline.scrollHeight > outline.clientHeight) {
      outline.scrollTop += current.getBoundingClientRect().top - outline.getBoundingClientRect().top - outline.clientHeight / 2;
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', setUp);
  } else {
    setUp();
  }
}());
